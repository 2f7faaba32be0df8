import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, renderCsv } from '../../src/render/csv.js';
import { fixtureReport } from '../helpers/report-fixture.js';

/** A strict RFC 4180 reader: CRLF records, quoted fields with "" escapes, CR/LF allowed inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && field === '') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quote');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`junk after quote at ${i}`);
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else if (c === '"' || c === '\n' || c === '\r') {
      throw new Error(`bare ${JSON.stringify(c)} in an unquoted field at ${i}`);
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || row.length > 0) throw new Error('last record not ended by CRLF');
  return rows;
}

describe('CSV', () => {
  const results = fixtureReport();
  const rows = parseCsv(renderCsv(results));
  const header = rows[0] ?? [];
  /** The named cell of a parsed row, found through the header the file itself carries. */
  const cell = (row: string[] | undefined, name: string) => row?.[header.indexOf(name)];

  it('has a header with a stable column order and one row per target and service', () => {
    // The column order is part of the contract (new columns go at the end): spelled out here.
    expect(header).toEqual([
      'path',
      'md5',
      'sha1',
      'sha256',
      'size',
      'verdict',
      'verdict_rule',
      'verdict_reason',
      'allow_listed',
      'service',
      'status',
      'service_verdict',
      'service_rule',
      'malicious',
      'suspicious',
      'clean',
      'undetected',
      'total',
      'summary',
      'detections',
      'link',
      'error_code',
      'error_message',
    ]);
    expect(CSV_COLUMNS).toEqual(header);
    // The fixture: 5 targets × 4 services, after the header.
    expect(rows).toHaveLength(21);
    for (const row of rows) expect(row).toHaveLength(23);
  });

  it('round-trips names with commas, quotes and line breaks', () => {
    const paths = [...new Set(rows.slice(1).map((row) => row[0]))];
    expect(paths).toEqual(['dist/setup.exe', 'dist/lib, "helper".dll', 'dist/two\nlines & <b>.txt', '']);
    const row = rows.find((r) => r[0] === 'dist/lib, "helper".dll' && cell(r, 'service') === 'engines');
    expect(cell(row, 'verdict')).toBe('suspicious');
    expect(cell(row, 'service_rule')).toBe('below-threshold');
    expect(cell(row, 'malicious')).toBe('2');
    expect(cell(row, 'detections')).toBe('Mal1: Trojan.Gen; Mal2: Trojan.Gen');
  });

  it('shows an allow-listed file as such', () => {
    const allowed = rows.slice(1).filter((r) => cell(r, 'allow_listed') !== '');
    expect(allowed).toHaveLength(4);
    for (const row of allowed) {
      expect(cell(row, 'allow_listed')).toBe('our signed installer, FP in TrustedAV (ticket SEC-42)');
      expect(cell(row, 'verdict_rule')).toBe('allow-list');
      expect(cell(row, 'verdict')).toBe('clean');
    }
  });

  it('defuses text that a spreadsheet would run as a formula, and only that', () => {
    const hostile = ['=HYPERLINK("http://x.test","open").exe', '+cmd|calc.exe', '-2+3.bin', '@SUM(A1).dll'];
    const base = fixtureReport()[0];
    if (!base) throw new Error('fixture report is empty');
    const named = hostile.map((path) => ({ ...base, target: { ...base.target, path } }));
    const paths = parseCsv(renderCsv(named))
      .slice(1)
      .map((row) => cell(row, 'path'));
    expect([...new Set(paths)]).toEqual([
      `'=HYPERLINK("http://x.test","open").exe`,
      "'+cmd|calc.exe",
      "'-2+3.bin",
      "'@SUM(A1).dll",
    ]);
    // Numbers and ordinary text are left as they are.
    const plain = parseCsv(renderCsv([base]))[1];
    expect(cell(plain, 'path')).toBe('dist/setup.exe');
    expect(cell(plain, 'size')).toBe('73802');
  });

  it('defuses a tab or carriage return at the start of a cell, and quotes the CR', () => {
    const base = fixtureReport()[0];
    if (!base) throw new Error('fixture report is empty');
    const named = ['\tcalc.exe', '\rcalc.exe'].map((path) => ({ ...base, target: { ...base.target, path } }));
    const paths = [
      ...new Set(
        parseCsv(renderCsv(named))
          .slice(1)
          .map((row) => cell(row, 'path')),
      ),
    ];
    expect(paths).toEqual(["'\tcalc.exe", "'\rcalc.exe"]);
    expect(renderCsv(named)).toContain(`"'\rcalc.exe"`);
  });

  it('the reader itself rejects malformed CSV', () => {
    expect(() => parseCsv('a,"b\r\n')).toThrow('unterminated');
    expect(() => parseCsv('a,b"c\r\n')).toThrow('bare');
  });
});
