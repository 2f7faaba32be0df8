/**
 * CSV (RFC 4180): one row per target and service, a header row, CRLF line ends, fields quoted when
 * they hold a comma, a quote or a line break. The column order is part of the contract: new columns
 * go at the end.
 *
 * File names and vendor texts are chosen by malware authors, and CSV files get opened in
 * spreadsheets: a text cell that starts like a formula (= + - @, tab, CR) gets a leading `'` so it
 * is shown, never evaluated (OWASP "CSV Injection"). Numbers are written as they are.
 */
import { detections, type Judged, type JudgedService } from './common.js';

export const CSV_COLUMNS = [
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
] as const;

type Cell = string | number | null | undefined;

export function renderCsv(results: readonly Judged[]): string {
  const rows: Cell[][] = [[...CSV_COLUMNS]];
  for (const result of results) {
    const services = result.services.length > 0 ? result.services : [undefined];
    for (const service of services) rows.push(csvRow(result, service));
  }
  return rows.map((row) => `${row.map(field).join(',')}\r\n`).join('');
}

function csvRow(r: Judged, s: JudgedService | undefined): Cell[] {
  const hits = s ? detections(s.entries).map((e) => (e.detail ? `${e.name}: ${e.detail}` : e.name)) : [];
  return [
    r.target.path,
    r.target.md5,
    r.target.sha1,
    r.target.sha256,
    r.target.size,
    r.verdict,
    r.reason.rule,
    r.reason.message,
    r.allowList?.comment,
    s?.service,
    s?.status,
    s?.verdict,
    s?.reason?.rule,
    s?.stats?.malicious,
    s?.stats?.suspicious,
    s?.stats?.clean,
    s?.stats?.undetected,
    s?.stats?.total,
    s?.summary,
    hits.join('; '),
    s?.link,
    s?.error?.code,
    s?.error?.message,
  ];
}

const FORMULA_START = /^[=+\-@\t\r]/;

function field(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
