/** The terminal report: per file, a header and a service tree like Malcat's grid. Pure. */
import Table from 'cli-table3';
import type { Entry, Target } from '../model/report.js';
import {
  answerCounts,
  briefError,
  detections,
  driftSummary,
  driftText,
  type Judged,
  type JudgedService,
  type ServiceNames,
  safeLink,
} from './common.js';
import { hyperlink } from './hyperlink.js';
import type { Styler } from './styler.js';
import { elideMiddle, hangingWrap, wrap } from './terminal-text.js';

export interface TableOptions {
  styler: Styler;
  /** Service id → display name. */
  names: ServiceNames;
  /** Terminal width; tables wrap their detail column to fit. */
  width: number;
  /** Every service and engine row (by default: flagged rows listed, the rest counted). */
  showAll: boolean;
  /** The terminal shows OSC 8 hyperlinks: link text can be shorter than the URL it opens. */
  hyperlinks: boolean;
}

const NAME_WIDTH = 30;
const CATEGORY_WIDTH = 12;
const MIN_DETAIL_WIDTH = 24;
// Row separators would double the height of a 70-engine list; services stand out by style instead.
const CHARS = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

export function renderTable(results: readonly Judged[], options: TableOptions): string {
  return results.map((result) => renderTarget(result, options)).join('\n');
}

/**
 * The compact view lists about this many flagged rows in all, shared among the services that have
 * some (5 each at most, 2 at least), so a sample eight services know still fits a screen.
 */
const FLAGGED_BUDGET = 16;

function flaggedRowsPerService(services: readonly JudgedService[]): number {
  const flagging = services.filter((s) => detections(s.entries).length > 0).length;
  return Math.max(2, Math.min(5, Math.floor(FLAGGED_BUDGET / Math.max(1, flagging))));
}
const SEVERITY = ['malicious', 'suspicious', 'clean', 'undetected'] as const;

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
  // Compact: services that were not asked (no key, switched off, hash type not taken) collapse
  // into a line each under the table; --all keeps them as rows.
  const asked = options.showAll ? result.services : result.services.filter(wasAsked);
  const perService = flaggedRowsPerService(asked);
  for (const service of asked) addService(table, service, widths, { ...options, perService });
  const parts = [renderHeader(result, options)];
  if (asked.length > 0) parts.push(table.toString());
  if (!options.showAll) parts.push(...notAskedLines(result.services, options));
  const links = renderLinks(result, options);
  return `${parts.join('\n')}\n${links}`;
}

function wasAsked(service: JudgedService): boolean {
  return service.status !== 'disabled' && service.status !== 'unsupported';
}

/** `3 services need a key: Keyed, … (ti-check services)`; other reasons grouped by their text. */
function notAskedLines(services: readonly JudgedService[], options: TableOptions): string[] {
  const { styler, names } = options;
  const groups = new Map<string, string[]>();
  for (const s of services) {
    if (wasAsked(s)) continue;
    const reason = s.hint?.startsWith('needs an API key') ? KEY_REASON : (s.hint ?? s.status);
    groups.set(reason, [...(groups.get(reason) ?? []), names[s.service] ?? s.service]);
  }
  return [...groups].flatMap(([reason, list]) => {
    const n = list.length;
    const line =
      reason === KEY_REASON
        ? `${n} ${n === 1 ? 'service needs' : 'services need'} a key (ti-check services): ${list.join(', ')}`
        : `not asked (${reason}): ${list.join(', ')}`;
    return hangingWrap(line, options.width).map((l) => styler.dim(l));
  });
}
const KEY_REASON = '\0key';

function renderHeader(result: Judged, options: TableOptions): string {
  const { styler } = options;
  const { target } = result;
  const title = target.path ?? target.name ?? 'hash';
  const size = target.size === null ? '' : ` · ${formatSize(target.size)}`;
  const titleLines = wrap(`${title}${size}`, options.width).map((l) => styler.bold(l));
  const labelled = (label: string, text: string, style: (t: string) => string) =>
    wrap(text, options.width - 9).map(
      (l, i) => `${i === 0 ? styler.dim(label.padEnd(8)) : ' '.repeat(8)} ${style(l)}`,
    );
  const lines = [
    ...titleLines,
    ...hashLines(target, styler, options.names, options.width),
    `verdict  ${styler.verdict(result.verdict, result.verdict.toUpperCase())}  ${styler.dim(
      `(${answerCounts(result.services)})`,
    )}`,
    ...(result.allowList
      ? labelled(
          'allowed',
          `allow-listed: ${result.allowList.comment} (services said ${result.allowList.verdict})`,
          (t) => t,
        )
      : labelled('why', result.reason.message, styler.dim)),
    ...driftLines(result, options, labelled),
  ];
  return lines.join('\n');
}

/** Changes listed under the drift line in the compact view; --all lists every one. */
const DRIFT_LINES = 5;

/**
 * With --baseline: `drift    worse than the baseline: 1 new detection`, then the changes worst first
 * (`VirusTotal · Microsoft: clean → Trojan:Win32/Wacatac`), a few in the compact view.
 */
function driftLines(
  result: Judged,
  options: TableOptions,
  labelled: (label: string, text: string, style: (t: string) => string) => string[],
): string[] {
  const { styler } = options;
  const summary = driftSummary(result);
  const drift = result.drift;
  if (summary === null || !drift) return [];
  const style = drift.worse ? (t: string) => styler.verdict('malicious', t) : styler.dim;
  const lines = labelled('drift', summary, style);
  const shown = options.showAll ? drift.changes : drift.changes.slice(0, DRIFT_LINES);
  const indent = ' '.repeat(9);
  for (const change of shown) {
    const text = driftText(change, options.names);
    const styled = change.worse ? (t: string) => styler.verdict('malicious', t) : (t: string) => t;
    lines.push(...hangingWrap(text, options.width - 9).map((l) => indent + styled(l)));
  }
  const left = drift.changes.length - shown.length;
  const rest: string[] = [];
  if (left > 0) rest.push(`… and ${left} more (--all lists them)`);
  if (drift.skipped.length > 0) {
    const who = drift.skipped.map(
      (s) => `${options.names[s.service] ?? s.service} ${s.why.replace(/: not compared$/, '')}`,
    );
    rest.push(`not compared: ${who.join(', ')}`);
  }
  for (const line of rest)
    lines.push(...hangingWrap(line, options.width - 9).map((l) => indent + styler.dim(l)));
  return lines;
}

function hashLines(target: Target, styler: Styler, names: ServiceNames, width: number): string[] {
  return (['md5', 'sha1', 'sha256'] as const).flatMap((type) => {
    const value = target[type];
    if (!value) return [];
    const line = `${styler.dim(type.padEnd(8))} ${value}`;
    // A hash the lookup learnt from a service, not one computed or given: say whose word it is.
    const from = target.hashesFrom?.[type];
    if (!from) return [line];
    const source = `(from ${names[from] ?? from})`;
    return 9 + value.length + 2 + source.length <= width
      ? [`${line}  ${styler.dim(source)}`]
      : [line, `${' '.repeat(9)}${styler.dim(source)}`];
  });
}

interface Widths {
  name: number;
  category: number;
  detail: number;
}

/** Child rows are indented by 2 more columns than their service. */
const INDENT = 2;

function addService(
  table: Table.Table,
  service: JudgedService,
  widths: Widths,
  options: TableOptions & { perService: number },
): void {
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
  if (options.showAll) {
    for (const entry of service.entries) table.push(entryRow(entry, widths, styler));
    return;
  }
  // Compact: the flagged rows, worst first, up to the share; everything else is counted.
  const limit = options.perService;
  const flagged = detections(service.entries).sort(
    (a, b) => SEVERITY.indexOf(a.category) - SEVERITY.indexOf(b.category),
  );
  for (const entry of flagged.slice(0, limit)) table.push(entryRow(entry, widths, styler));
  const rest: string[] = [];
  if (flagged.length > limit) rest.push(`… and ${flagged.length - limit} more flagged`);
  for (const category of ['clean', 'undetected'] as const) {
    const n = service.entries.filter((e) => e.category === category).length;
    if (n > 0) rest.push(`${n} ${category}`);
  }
  if (rest.length === 0) return;
  // The counts in the name column when they fit there, else the first one and the rest beside it.
  const together = rest.join(' · ');
  const [first, ...others] = together.length <= widths.name - INDENT ? [together] : rest;
  table.push([
    indented(cell(first ?? '', widths.name - INDENT, styler.dim)),
    '',
    cell([...others, '--all lists them'].join(' · '), widths.detail, styler.dim),
  ]);
}

/**
 * Links sit under the table so terminals keep them whole and clickable. The compact view links the
 * services that found the file; --all every service that answered. A URL is never broken: one longer
 * than the terminal is left alone on its line for the terminal to soft-wrap (a hard break would make
 * its first half a wrong, clickable link).
 * On a terminal that takes OSC 8 hyperlinks the text shown is the URL cut to fit, the target whole.
 */
function renderLinks(result: Judged, { styler, names, showAll, width, hyperlinks }: TableOptions): string {
  const linked = result.services.filter(
    (s) => s.link && s.status !== 'error' && (showAll || s.status === 'found'),
  );
  if (linked.length === 0) return '';
  const nameWidth = Math.max(...linked.map((s) => (names[s.service] ?? s.service).length));
  const room = width - nameWidth - 6;
  // Name and URL side by side when every URL fits so; else the URL alone (its host names the vendor).
  const sideBySide = hyperlinks || linked.every((s) => (s.link as string).length <= room);
  const lines = linked.map((s) => {
    const name = (names[s.service] ?? s.service).padEnd(nameWidth);
    const url = s.link as string;
    const target = hyperlinks ? safeLink(url) : null;
    if (target) return `  ${name}  ${styler.dim(`↗ ${hyperlink(target, elideMiddle(url, room))}`)}`;
    if (sideBySide) return `  ${name}  ${styler.dim(`↗ ${url}`)}`;
    return url.length + 4 <= width ? `  ${styler.dim(`↗ ${url}`)}` : styler.dim(url);
  });
  return `${lines.join('\n')}\n`;
}

function serviceDetail(service: JudgedService): string {
  if (service.error) return `${service.error.code}: ${briefError(service.error.message)}`;
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
