/**
 * The batch report: one row per target and a summary. A grid (name, verdict, a short cell per
 * service that was asked) when it fits the terminal; else two lines per target naming the services
 * that found it. Names are never cut from the left: the middle goes, both ends stay copyable. Pure.
 */
import type { ServiceResult, TargetResult } from '../model/report.js';
import { driftText, type ServiceNames, targetName } from './common.js';
import type { Styler } from './styler.js';
import { elideMiddle, hangingWrap, wrap } from './terminal-text.js';

export interface BatchTableOptions {
  styler: Styler;
  names: ServiceNames;
  width: number;
  /** Targets --only-flagged left out. */
  hidden?: number;
}

const CELL_WIDTH = 13;
const VERDICT_WIDTH = 11;
/** Below this, a name column would hide too much of the path: one line per target instead. */
const MIN_NAME_WIDTH = 24;

/** The short per-service cell: detections for engines, else the service's verdict or status. */
export function serviceCell(service: ServiceResult): string {
  if (service.status === 'found') {
    if (service.stats) return `${service.stats.malicious}/${service.stats.total}`;
    return service.verdict ?? 'found';
  }
  if (service.status === 'not_found') return '-';
  // The code alone fits the cell (and it is red); the message is in the JSON and the per-file table.
  if (service.status === 'error') return service.error?.code ?? 'error';
  return service.hint?.startsWith('skipped') ? 'skipped' : service.status === 'disabled' ? 'off' : 'n/a';
}

const asked = (s: ServiceResult) => s.status !== 'disabled' && s.status !== 'unsupported';

/** Services asked for at least one target, in the report's order: columns for nobody are noise. */
function askedServices(results: readonly TargetResult[]): string[] {
  const ids: string[] = [];
  for (const result of results)
    for (const s of result.services) if (asked(s) && !ids.includes(s.service)) ids.push(s.service);
  return ids;
}

export function renderBatchTable(results: readonly TargetResult[], options: BatchTableOptions): string {
  const ids = askedServices(results);
  const names = results.map((r) => targetName(r.target));
  const cellsWidth = ids.length * (CELL_WIDTH + 1) + VERDICT_WIDTH + 1;
  const longest = Math.max(6, ...names.map((n) => [...n].length));
  const nameWidth = Math.min(longest, options.width - cellsWidth);
  const lines =
    nameWidth >= Math.min(longest, MIN_NAME_WIDTH)
      ? grid(results, ids, nameWidth, options)
      : list(results, options);
  lines.push('', ...summaryLines(results, options), ...driftLines(results, options));
  return `${lines.join('\n')}\n`;
}

function verdictLabel(result: TargetResult): string {
  return (result.error ? 'error' : result.allowList ? 'allowed' : result.verdict).toUpperCase();
}

function grid(
  results: readonly TargetResult[],
  ids: readonly string[],
  nameWidth: number,
  { styler, names, width }: BatchTableOptions,
): string[] {
  const pad = (text: string, width: number) => elideMiddle(text, width).padEnd(width);
  // Service names wrap onto a second header line instead of being cut ("Hybrid" / "Analysis").
  const heads = ids.map((id) => wrap(names[id] ?? id, CELL_WIDTH).map((l) => elideMiddle(l, CELL_WIDTH)));
  const depth = Math.max(1, ...heads.map((h) => h.length));
  const header = Array.from({ length: depth }, (_, row) => {
    const last = row === depth - 1;
    return [
      pad(last ? 'target' : '', nameWidth),
      pad(last ? 'verdict' : '', VERDICT_WIDTH),
      // Bottom-aligned, so one-line names sit on the same line as "target".
      ...heads.map((h) => pad(h[row - (depth - h.length)] ?? '', CELL_WIDTH)),
    ]
      .join(' ')
      .trimEnd();
  });
  const lines = header.map((h) => styler.bold(h));
  for (const result of results) {
    const byId = new Map(result.services.map((s) => [s.service, s]));
    const cells = result.error
      ? // Unreadable: its reason in the room the service cells would take (the whole text is in --json).
        [elideMiddle(result.error.message, Math.max(12, width - nameWidth - VERDICT_WIDTH - 2))]
      : ids.map((id, i) => {
          const s = byId.get(id);
          // The last cell is not padded: trailing spaces inside colour codes would survive trimEnd.
          const text =
            i === ids.length - 1
              ? elideMiddle(s ? serviceCell(s) : '', CELL_WIDTH)
              : pad(s ? serviceCell(s) : '', CELL_WIDTH);
          return s ? styler.status(s.status, text) : text;
        });
    // A name longer than its column wraps onto lines of its own, whole: a hash stays copyable.
    const [first = '', ...more] = wrap(targetName(result.target), nameWidth);
    lines.push(
      [
        first.padEnd(nameWidth),
        styler.verdict(result.error ? null : result.verdict, pad(verdictLabel(result), VERDICT_WIDTH)),
        ...cells,
      ]
        .join(' ')
        .trimEnd(),
      ...more,
    );
  }
  return lines;
}

/**
 * Too many services for a grid: the verdict and the whole name on one line, then who found it and
 * who failed, wrapped under it.
 */
function list(results: readonly TargetResult[], { styler, names, width }: BatchTableOptions): string[] {
  const indent = ' '.repeat(VERDICT_WIDTH + 1);
  return results.flatMap((result) => {
    const verdict = styler.verdict(
      result.error ? null : result.verdict,
      verdictLabel(result).padEnd(VERDICT_WIDTH),
    );
    const [first = '', ...more] = wrap(targetName(result.target), width - indent.length);
    const detail = result.error ? result.error.message : evidenceLine(result.services, names);
    const body = wrap(detail, width - indent.length).map((l) => styler.dim(indent + l));
    return [`${verdict} ${styler.bold(first)}`, ...more.map((l) => indent + styler.bold(l)), ...body];
  });
}

/** `VirusTotal 53/62 · MalwareBazaar malicious · not found by 5 · failed: OTX (timeout)`. */
function evidenceLine(services: readonly ServiceResult[], names: ServiceNames): string {
  const name = (s: ServiceResult) => names[s.service] ?? s.service;
  const found = services.filter((s) => s.status === 'found').map((s) => `${name(s)} ${serviceCell(s)}`);
  const missing = services.filter((s) => s.status === 'not_found').length;
  const failed = services.filter((s) => s.status === 'error').map((s) => `${name(s)} (${serviceCell(s)})`);
  const parts = [...found];
  if (missing > 0) parts.push(`not found by ${missing}`);
  if (failed.length > 0) parts.push(`failed: ${failed.join(', ')}`);
  return parts.length > 0 ? parts.join(' · ') : 'no service was asked';
}

/**
 * `195 targets: 32 malicious, 153 unknown · 20 answers from the cache`, then the failures per
 * service (`Hybrid Analysis failed 20 of 20 (rate_limited)`), which a verdict count alone hides.
 */
export function summaryLines(
  results: readonly TargetResult[],
  { names, width, hidden = 0 }: BatchTableOptions,
): string[] {
  const counts = new Map<string, number>();
  for (const result of results) {
    const key = result.error ? 'unreadable' : result.allowList ? 'allow-listed' : result.verdict;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const order = ['malicious', 'suspicious', 'clean', 'undetected', 'unknown', 'allow-listed', 'unreadable'];
  const parts = order.filter((k) => counts.has(k)).map((k) => `${counts.get(k)} ${k}`);
  const cached = results.flatMap((r) => r.services).filter((s) => s.cached).length;
  const counted = parts.length > 0 ? parts.join(', ') : 'none flagged';
  const shown = hidden > 0 ? ` · ${hidden} more not shown (--only-flagged)` : '';
  const lines = hangingWrap(
    `${results.length} ${results.length === 1 ? 'target' : 'targets'}: ${counted}${shown}${cached > 0 ? ` · ${cached} answers from the cache` : ''}`,
    width,
  );
  const failures = new Map<string, { failed: number; asked: number; codes: Set<string> }>();
  for (const s of results.flatMap((r) => r.services)) {
    if (!asked(s)) continue;
    const f = failures.get(s.service) ?? { failed: 0, asked: 0, codes: new Set<string>() };
    f.asked++;
    if (s.status === 'error') {
      f.failed++;
      f.codes.add(s.error?.code ?? 'error');
    }
    failures.set(s.service, f);
  }
  const failed = [...failures]
    .filter(([, f]) => f.failed > 0)
    .map(([id, f]) => `${names[id] ?? id} failed ${f.failed} of ${f.asked} (${[...f.codes].join(', ')})`);
  if (failed.length > 0) lines.push(...hangingWrap(`failures: ${failed.join(' · ')}`, width));
  return lines;
}

/** Targets named under the drift line; more are counted. */
const DRIFT_TARGETS = 10;

/**
 * With --baseline: `drift since the baseline: 1 worse, 2 changed, 1 not in it`, then each target that
 * changed, worse ones first, with its first change (`dist/app.exe: VirusTotal · Microsoft: clean →
 * Trojan:Win32/Wacatac, +1 more`).
 */
export function driftLines(
  results: readonly TargetResult[],
  { styler, names, width }: BatchTableOptions,
): string[] {
  const compared = results.filter((r) => r.drift);
  if (compared.length === 0) return [];
  const changed = compared.filter((r) => (r.drift?.changes.length ?? 0) > 0 || r.drift?.worse);
  const worse = changed.filter((r) => r.drift?.worse);
  const absent = compared.filter((r) => r.drift?.matchedBy === null).length;
  const parts = [`${worse.length} worse`, `${changed.length - worse.length} changed otherwise`];
  if (absent > 0) parts.push(`${absent} not in it`);
  const head = `drift since the baseline: ${changed.length === 0 ? 'no change' : parts.join(', ')}`;
  const lines = hangingWrap(head, width).map((l) => (worse.length > 0 ? styler.verdict('malicious', l) : l));
  const ordered = [...worse, ...changed.filter((r) => !r.drift?.worse)];
  for (const result of ordered.slice(0, DRIFT_TARGETS)) {
    const changes = result.drift?.changes ?? [];
    const first = changes[0];
    const more = changes.length > 1 ? `, +${changes.length - 1} more` : '';
    const what = first
      ? `${driftText(first, names)}${more}`
      : `was ${result.drift?.verdictBefore}, now ${result.verdict}`;
    const text = `${targetName(result.target)}: ${what}`;
    const style = result.drift?.worse ? (l: string) => styler.verdict('malicious', l) : (l: string) => l;
    lines.push(...hangingWrap(text, width - 2).map((l) => `  ${style(l)}`));
  }
  if (ordered.length > DRIFT_TARGETS) {
    lines.push(styler.dim(`  … and ${ordered.length - DRIFT_TARGETS} more targets changed (--json: drift)`));
  }
  return lines;
}
