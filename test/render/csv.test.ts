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

  it('has a header with a stable column order and one row per target and service', () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + results.reduce((n, r) => n + r.services.length, 0));
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
  });

  it('round-trips names with commas, quotes and line breaks', () => {
    const paths = [...new Set(rows.slice(1).map((row) => row[0]))];
    expect(paths).toEqual(
      ['dist/setup.exe', 'dist/lib, "helper".dll', 'dist/two\nlines & <b>.txt', '', ''].filter(
        (p, i, all) => all.indexOf(p) === i,
      ),
    );
    const row = rows.find((r) => r[0] === 'dist/lib, "helper".dll' && r[9] === 'engines');
    const column = (name: (typeof CSV_COLUMNS)[number]) => row?.[CSV_COLUMNS.indexOf(name)];
    expect(column('verdict')).toBe('suspicious');
    expect(column('service_rule')).toBe('below-threshold');
    expect(column('malicious')).toBe('2');
    expect(column('detections')).toBe('Mal1: Trojan.Gen; Mal2: Trojan.Gen');
  });

  it('shows an allow-listed file as such', () => {
    const allowed = rows.filter((r) => r[CSV_COLUMNS.indexOf('allow_listed')] !== '').slice(1);
    expect(allowed.length).toBeGreaterThan(0);
    expect(allowed[0]?.[CSV_COLUMNS.indexOf('verdict_rule')]).toBe('allow-list');
  });

  it('defuses text that a spreadsheet would run as a formula, and only that', () => {
    const hostile = ['=HYPERLINK("http://x.test","open").exe', '+cmd|calc.exe', '-2+3.bin', '@SUM(A1).dll'];
    const base = fixtureReport()[0];
    if (!base) throw new Error('fixture report is empty');
    const named = hostile.map((path) => ({ ...base, target: { ...base.target, path } }));
    const paths = parseCsv(renderCsv(named))
      .slice(1)
      .map((row) => row[CSV_COLUMNS.indexOf('path')]);
    expect([...new Set(paths)]).toEqual(hostile.map((path) => `'${path}`));
    // Numbers and ordinary text are left as they are.
    const plain = parseCsv(renderCsv([base]))[1];
    expect(plain?.[CSV_COLUMNS.indexOf('path')]).toBe(base.target.path ?? '');
    expect(plain?.[CSV_COLUMNS.indexOf('size')]).toBe(String(base.target.size ?? ''));
  });

  it('the reader itself rejects malformed CSV', () => {
    expect(() => parseCsv('a,"b\r\n')).toThrow('unterminated');
    expect(() => parseCsv('a,b"c\r\n')).toThrow('bare');
  });
});
