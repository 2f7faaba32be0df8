/**
 * GitHub-flavoured Markdown for `$GITHUB_STEP_SUMMARY` and merge-request comments: a summary line,
 * a table of flagged files (worst first), then per file a collapsible block with each service and its
 * detections. Files with the same hash appear once, with all their names. The whole text stays under
 * MARKDOWN_BUDGET characters (a PR comment takes 65,536): rows and details blocks are added whole,
 * worst first, while they fit, and a closing note says what was left out.
 */
import type { OverallVerdict } from '../model/report.js';
import {
  answerCounts,
  detections,
  displayName,
  driftSummary,
  driftText,
  isFlagged,
  type Judged,
  type JudgedService,
  type ServiceNames,
  safeLink,
  targetName,
  verdictCounts,
} from './common.js';
import type { RenderContext } from './context.js';

/** Characters the whole Markdown report stays under: GitHub takes 65,536 in a comment or summary. */
export const MARKDOWN_BUDGET = 60_000;
/** Room kept for the notes saying what was left out; each is one short line. */
const NOTE_ROOM = 600;
/** Names listed in one details block; more are counted. */
const MAX_COPY_NAMES = 20;

const ICON: Record<OverallVerdict, string> = {
  malicious: '🔴',
  suspicious: '🟠',
  clean: '🟢',
  undetected: '⚪',
  unknown: '❔',
};

const FULL_REPORT = 'the full report is in `--format json` or `--format html`';

/** Targets with the same hash (and so the same answers): shown once, with every name. */
interface Group {
  first: Judged;
  names: string[];
}

export function renderMarkdown(results: readonly Judged[], { names }: Pick<RenderContext, 'names'>): string {
  const groups = groupByHash(results);
  // Worst first: malicious, then suspicious, then the rest in the order given (a stable sort).
  const ordered = [...groups].sort((a, b) => rank(a.first) - rank(b.first));
  const flagged = ordered.filter((g) => isFlagged(g.first));
  const allowed = ordered.filter((g) => g.first.allowList);
  const out = new Budget(MARKDOWN_BUDGET - NOTE_ROOM);
  const distinct = groups.length < results.length ? ` (${groups.length} distinct by hash)` : '';
  out.add(['## ti-check report', '', `**${verdictCounts(results)}**${distinct}`, '']);
  if (flagged.length > 0) {
    const rows = flagged.map((g) => flaggedRow(g, names));
    const head = ['| | File | Verdict | Why | Found by |', '| --- | --- | --- | --- | --- |'];
    const shown = out.table(head, rows);
    if (shown < rows.length) {
      const left = count(flagged.slice(shown));
      out.note(['', `…and ${left} more flagged ${plural(left, 'file')} not listed: ${FULL_REPORT}.`]);
    }
  } else {
    out.add(['No file is malicious or suspicious.']);
  }
  if (allowed.length > 0) {
    const rows = allowed.map((g) =>
      row([files(g), g.first.allowList?.verdict ?? '', text(g.first.allowList?.comment ?? '')]),
    );
    const title = ['', '### Allow-listed (known false positives)', ''];
    const shown = out.table([...title, '| File | Services said | Comment |', '| --- | --- | --- |'], rows);
    if (shown < rows.length) {
      const left = count(allowed.slice(shown));
      out.note(['', `…and ${left} more allow-listed ${plural(left, 'file')} not listed: ${FULL_REPORT}.`]);
    }
  }
  driftSection(groups, names, out);
  out.add(['', '### Details', '']);
  let shown = 0;
  while (shown < ordered.length && out.add([...details(ordered[shown] as Group, names), ''])) shown++;
  if (shown < ordered.length) {
    const left = count(ordered.slice(shown));
    out.note([`Details of ${left} more ${plural(left, 'file')} left out to fit; ${FULL_REPORT}.`]);
  }
  return `${out.text().trimEnd()}\n`;
}

/** Lines added whole while they fit, so a table row or an HTML tag is never cut. */
class Budget {
  private readonly lines: string[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}

  /** Adds all of `lines` if they fit, else none. */
  add(lines: readonly string[]): boolean {
    const size = lines.reduce((n, l) => n + l.length + 1, 0);
    if (this.size + size > this.limit) return false;
    this.lines.push(...lines);
    this.size += size;
    return true;
  }

  /** A table head and as many rows as fit; returns how many rows went in. */
  table(head: readonly string[], rows: readonly string[]): number {
    if (!this.add(head)) return 0;
    let shown = 0;
    while (shown < rows.length && this.add([rows[shown] as string])) shown++;
    return shown;
  }

  /** A closing note, from the room kept for it. */
  note(lines: readonly string[]): void {
    this.lines.push(...lines);
  }

  text(): string {
    return this.lines.join('\n');
  }
}

/** With --baseline: every change since it, one row each, the targets that got worse first. */
function driftSection(groups: readonly Group[], names: ServiceNames, out: Budget): void {
  const compared = groups.filter((g) => g.first.drift);
  if (compared.length === 0) return;
  const changed = compared.filter((g) => (g.first.drift?.changes.length ?? 0) > 0 || g.first.drift?.worse);
  const worse = changed.filter((g) => g.first.drift?.worse);
  const absent = count(compared.filter((g) => g.first.drift?.matchedBy === null));
  const counts = [`**${count(worse)} worse**`, `${count(changed) - count(worse)} changed otherwise`];
  if (absent > 0) counts.push(`${absent} not in the baseline`);
  out.add([
    '',
    '### Drift since the baseline',
    '',
    `${changed.length === 0 ? 'No change.' : `${counts.join(', ')}.`}`,
  ]);
  if (changed.length === 0) return;
  const rows = [...worse, ...changed.filter((g) => !g.first.drift?.worse)].flatMap((g) => {
    const drift = g.first.drift;
    const changes = drift?.changes ?? [];
    if (changes.length === 0) {
      return [row(['🔺', files(g), text(`was ${drift?.verdictBefore}, now ${g.first.verdict}`)])];
    }
    return changes.map((c) => row([c.worse ? '🔺' : '', files(g), text(driftText(c, names))]));
  });
  const shown = out.table(['', '| | File | Change |', '| --- | --- | --- |'], rows);
  if (shown < rows.length) {
    out.note([
      '',
      `…and ${rows.length - shown} more changes not listed: the \`drift\` of each target in \`--format json\`.`,
    ]);
  }
}

function groupByHash(results: readonly Judged[]): Group[] {
  const byKey = new Map<string, Group>();
  const groups: Group[] = [];
  for (const r of results) {
    const key = hashKey(r);
    const same = key === null ? undefined : byKey.get(key);
    if (same) {
      same.names.push(targetName(r.target));
      continue;
    }
    const group = { first: r, names: [targetName(r.target)] };
    groups.push(group);
    if (key !== null) byKey.set(key, group);
  }
  return groups;
}

/** Same sha256 (or md5, then sha1, when it has none) and the same outcome; null: never grouped. */
function hashKey(r: Judged): string | null {
  const { sha256, md5, sha1 } = r.target;
  const hash = sha256 ? `sha256:${sha256}` : md5 ? `md5:${md5}` : sha1 ? `sha1:${sha1}` : null;
  if (hash === null || r.error) return null;
  return `${hash.toLowerCase()} ${r.verdict} ${r.allowList ? 'allowed' : ''}`;
}

function rank(r: Judged): number {
  return r.verdict === 'malicious' ? 0 : r.verdict === 'suspicious' ? 1 : 2;
}

function count(groups: readonly Group[]): number {
  return groups.reduce((n, g) => n + g.names.length, 0);
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/** `<code>first</code>`, or `<code>first</code> and 3 more copies` for a group. */
function files(g: Group): string {
  const first = code(g.names[0] ?? '');
  const more = g.names.length - 1;
  return more > 0 ? `${first} and ${more} more ${more === 1 ? 'copy' : 'copies'}` : first;
}

function flaggedRow(g: Group, names: ServiceNames): string {
  const r = g.first;
  const by = r.services
    .filter((s) => s.status === 'found' && (s.verdict === 'malicious' || s.verdict === 'suspicious'))
    .map((s) => link(displayName(names, s.service), s.link));
  return row([ICON[r.verdict], files(g), `**${r.verdict}**`, text(r.reason.message), by.join(', ')]);
}

function details(g: Group, names: ServiceNames): string[] {
  const r = g.first;
  const allowed = r.allowList ? ' · allow-listed' : '';
  const summary = `${ICON[r.verdict]} ${files(g)} — <b>${r.verdict}</b>${allowed} (${answerCounts(r.services)})`;
  const hashes = (['md5', 'sha1', 'sha256'] as const).flatMap((t) =>
    r.target[t] ? [`${t} \`${r.target[t]}\``] : [],
  );
  const out = ['<details>', `<summary>${summary}</summary>`, '', hashes.join(' · '), ''];
  if (g.names.length > 1) {
    const listed = g.names.slice(0, MAX_COPY_NAMES).map(code);
    const more = g.names.length - listed.length;
    out.push(`${g.names.length} copies: ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`, '');
  }
  out.push(`Why: ${text(r.reason.message)}`, '');
  const drift = driftSummary(r);
  if (drift !== null) {
    const skipped = (r.drift?.skipped ?? []).map(
      (s) => `${displayName(names, s.service)} ${s.why.replace(/: not compared$/, '')}`,
    );
    const why = skipped.length > 0 ? ` (not compared: ${skipped.join(', ')})` : '';
    out.push(`Drift: ${text(drift + why)}`, '');
  }
  out.push('| Service | Status | Verdict | Summary | Why |', '| --- | --- | --- | --- | --- |');
  for (const s of r.services) out.push(serviceRow(s, names));
  const withHits = r.services.filter((s) => detections(s.entries).length > 0);
  for (const s of withHits) {
    out.push('', `**${text(displayName(names, s.service))}** detections:`, '');
    for (const e of detections(s.entries)) {
      out.push(`- ${text(e.name)}: ${e.category}${e.detail ? ` — ${text(e.detail)}` : ''}`);
    }
  }
  out.push('', '</details>');
  return out;
}

function serviceRow(s: JudgedService, names: ServiceNames): string {
  const status = s.status.replace('_', ' ');
  const summary = s.error ? `${s.error.code}: ${s.error.message}` : (s.hint ?? s.summary ?? '');
  return row([
    link(displayName(names, s.service), s.status === 'error' ? null : s.link),
    status,
    s.verdict ?? '',
    text(summary),
    text(s.reason?.message ?? ''),
  ]);
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Text that cannot break out of a table cell or turn into markup. */
function text(value: string): string {
  return value
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]<>|#!~&]/g, (c) => `\\${c}`)
    .trim();
}

function code(value: string): string {
  // Inside a table, a code span still needs `|` escaped; backticks would end it, so use <code>.
  return `<code>${html(value).replace(/\|/g, '&#124;')}</code>`;
}

function html(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\r\n]+/g, ' ');
}

function link(label: string, url: string | null): string {
  const safe = safeLink(url);
  return safe ? `[${text(label)}](${safe.replace(/[()\s]/g, encodeURIComponent)})` : text(label);
}
