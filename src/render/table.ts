/** The terminal report: per file, a header and a service tree like Malcat's grid. Pure. */
import Table from 'cli-table3';
import type { Entry, Target } from '../normalize/model.js';
import { answerCounts, type Judged, type JudgedService, type ServiceNames } from './common.js';
import type { Styler } from './styler.js';

export interface TableOptions {
  styler: Styler;
  /** Service id → display name. */
  names: ServiceNames;
  /** Terminal width; tables wrap their detail column to fit. */
  width: number;
  /** List undetected engines too (they are counted, not listed, by default). */
  showAll: boolean;
}

const NAME_WIDTH = 30;
const CATEGORY_WIDTH = 12;
const MIN_DETAIL_WIDTH = 24;
// Row separators would double the height of a 70-engine list; services stand out by style instead.
const CHARS = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

export function renderTable(results: readonly Judged[], options: TableOptions): string {
  return results.map((result) => renderTarget(result, options)).join('\n');
}

function renderTarget(result: Judged, options: TableOptions): string {
  const { styler } = options;
  const detailWidth = Math.max(MIN_DETAIL_WIDTH, options.width - NAME_WIDTH - CATEGORY_WIDTH - 4);
  // Cells are wrapped here, on plain text, and coloured line by line afterwards: cli-table3 would
  // measure and cut the colour codes along with the words (`alicious[[`, stray `22m`).
  const widths: Widths = { name: NAME_WIDTH - 2, category: CATEGORY_WIDTH - 2, detail: detailWidth - 2 };
  const table = new Table({
    head: ['Service / engine', 'Category', 'Detail'].map((h) => styler.bold(h)),
    colWidths: [NAME_WIDTH, CATEGORY_WIDTH, detailWidth],
    wordWrap: false,
    chars: CHARS,
    style: { head: [], border: [] },
  });
  for (const service of result.services) addService(table, service, widths, options);
  return `${renderHeader(result, options)}\n${table.toString()}\n${renderLinks(result, options)}`;
}

function renderHeader(result: Judged, { styler }: TableOptions): string {
  const { target } = result;
  const title = target.path ?? 'hash';
  const size = target.size === null ? '' : styler.dim(` · ${formatSize(target.size)}`);
  const lines = [
    `${styler.bold(title)}${size}`,
    ...hashLines(target, styler),
    `verdict  ${styler.verdict(result.verdict, result.verdict.toUpperCase())}  ${styler.dim(
      `(${answerCounts(result.services)})`,
    )}`,
    result.allowList
      ? `${styler.dim('allowed ')} ${styler.bold('allow-listed')}: ${result.allowList.comment} ${styler.dim(
          `(services said ${result.allowList.verdict})`,
        )}`
      : `${styler.dim('why     ')} ${styler.dim(result.reason.message)}`,
  ];
  return lines.join('\n');
}

function hashLines(target: Target, styler: Styler): string[] {
  return (['md5', 'sha1', 'sha256'] as const).flatMap((type) =>
    target[type] ? [`${styler.dim(type.padEnd(8))} ${target[type]}`] : [],
  );
}

interface Widths {
  name: number;
  category: number;
  detail: number;
}

/** Child rows are indented by 2 more columns than their service. */
const INDENT = 2;

function addService(table: Table.Table, service: JudgedService, widths: Widths, options: TableOptions): void {
  const { styler } = options;
  const name = options.names[service.service] ?? service.service;
  const byStatus = (text: string) => styler.status(service.status, text);
  // The status keeps the seed's colours (green found, gray not found, red error); what a found
  // service says is coloured by its severity, so "53/62 engines: malicious" is never green.
  const bySeverity = (text: string) =>
    service.status === 'found' ? styler.verdict(service.verdict, text) : byStatus(text);
  table.push([
    cell(`▸ ${name}`, widths.name, (line) => byStatus(styler.bold(line))),
    cell(service.status.replace('_', ' '), widths.category, byStatus),
    cell(serviceDetail(service), widths.detail, bySeverity),
  ]);
  const listed = options.showAll
    ? service.entries
    : service.entries.filter((e) => e.category !== 'undetected');
  for (const entry of listed) table.push(entryRow(entry, widths, styler));
  const hidden = service.entries.length - listed.length;
  if (hidden > 0)
    table.push([
      indented(cell(`… ${hidden} undetected`, widths.name - INDENT, styler.dim)),
      '',
      cell('--all lists them', widths.detail, styler.dim),
    ]);
}

/** Links sit under the table, one line each, so terminals keep them whole and clickable. */
function renderLinks(result: Judged, { styler, names }: TableOptions): string {
  const linked = result.services.filter((s) => s.link && s.status !== 'error');
  if (linked.length === 0) return '';
  const width = Math.max(...linked.map((s) => (names[s.service] ?? s.service).length));
  return linked
    .map((s) => `  ${(names[s.service] ?? s.service).padEnd(width)}  ${styler.dim(`↗ ${s.link}`)}\n`)
    .join('');
}

function serviceDetail(service: JudgedService): string {
  if (service.error) return `${service.error.code}: ${service.error.message}`;
  return service.hint ?? service.summary ?? '';
}

function entryRow(entry: Entry, widths: Widths, styler: Styler): Table.Cell[] {
  const plain = (text: string) => text;
  return [
    indented(cell(entry.name, widths.name - INDENT, plain)),
    cell(entry.category, widths.category, (line) => styler.verdict(entry.category, line)),
    cell(entry.detail ?? '', widths.detail, plain),
  ];
}

/** Plain text wrapped to `width` columns, then styled line by line (codes never span a line end). */
function cell(text: string, width: number, style: (line: string) => string): string {
  return wrap(text, width).map(style).join('\n');
}

/**
 * Wraps at spaces; a word longer than the line (a hash, a path) is split across lines, never cut,
 * so both of its ends stay on screen to copy.
 */
export function wrap(text: string, width: number): string[] {
  const max = Math.max(1, width);
  const lines: string[] = [];
  let line: string[] = [];
  for (const word of text.split(' ')) {
    const chars = [...word];
    if (line.length > 0 && line.length + 1 + chars.length <= max) {
      line.push(' ', ...chars);
      continue;
    }
    if (line.length > 0) lines.push(line.join(''));
    let rest = chars;
    while (rest.length > max) {
      lines.push(rest.slice(0, max).join(''));
      rest = rest.slice(max);
    }
    line = rest;
  }
  lines.push(line.join(''));
  return lines;
}

/** Child rows sit under their service; cli-table3 trims leading spaces, padding it keeps. */
function indented(content: string): Table.Cell {
  return { content, style: { 'padding-left': 3 } } as Table.Cell;
}

export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
