/** Small pieces every report format shares. Pure. */
import type { DriftChange, DriftState, Entry, ReportTargetResult, Target } from '../model/report.js';

export type Judged = ReportTargetResult;
export type JudgedService = Judged['services'][number];
/** Service id → display name ("virustotal" → "VirusTotal"). */
export type ServiceNames = Readonly<Record<string, string>>;

/** What a target is called: its path, its hash-list label, or its hash. */
export function targetName(target: Target): string {
  return target.path ?? target.name ?? target.sha256 ?? target.sha1 ?? target.md5 ?? '(no hash)';
}

/**
 * `4 of 5 services answered · 1 found it · 1 failed`: counts that mean what they say — services that
 * were not asked (disabled, unsupported hash type) are not counted, failures are.
 */
export function answerCounts(services: readonly JudgedService[]): string {
  const asked = services.filter((s) => s.status !== 'disabled' && s.status !== 'unsupported');
  const answered = asked.filter((s) => s.status === 'found' || s.status === 'not_found').length;
  const found = asked.filter((s) => s.status === 'found').length;
  const failed = asked.filter((s) => s.status === 'error').length;
  const parts = [
    `${answered} of ${asked.length} ${asked.length === 1 ? 'service' : 'services'} answered`,
    `${found} found it`,
  ];
  if (failed > 0) parts.push(`${failed} failed`);
  return parts.join(' · ');
}

/** Malicious or suspicious after the policy; allow-listed files are not flagged. */
export function isFlagged(result: Judged): boolean {
  return result.verdict === 'malicious' || result.verdict === 'suspicious';
}

/** An allow-listed file the services would have flagged. */
export function isSuppressed(result: Judged): boolean {
  const before = result.allowList?.verdict;
  return before === 'malicious' || before === 'suspicious';
}

/** The engine rows that flag the file. */
export function detections(entries: readonly Entry[]): Entry[] {
  return entries.filter((e) => e.category === 'malicious' || e.category === 'suspicious');
}

/** Only web links become clickable: a vendor-supplied `javascript:` URL stays text. */
export function safeLink(link: string | null): string | null {
  if (!link) return null;
  try {
    const { protocol } = new URL(link);
    return protocol === 'https:' || protocol === 'http:' ? link : null;
  } catch {
    return null;
  }
}

export function displayName(names: ServiceNames, id: string): string {
  return names[id] ?? id;
}

/** `3 malicious, 1 suspicious, 2 clean of 6 files`: counts by verdict, most severe first. */
export function verdictCounts(results: readonly Judged[]): string {
  const order = ['malicious', 'suspicious', 'clean', 'undetected', 'unknown'] as const;
  const parts = order.flatMap((v) => {
    const n = results.filter((r) => r.verdict === v && !r.allowList).length;
    return n > 0 ? [`${n} ${v}`] : [];
  });
  const allowed = results.filter((r) => r.allowList).length;
  if (allowed > 0) parts.push(`${allowed} allow-listed`);
  const files = `${results.length} ${results.length === 1 ? 'file' : 'files'}`;
  return parts.length > 0 ? `${parts.join(', ')} of ${files}` : `no ${files.replace(/^0 /, '')}`;
}

/** One line of service evidence: `virustotal: 5/71 engines: malicious (Mal1: Trojan.Gen, …)`. */
export function evidence(service: JudgedService, names: ServiceNames, max = 3): string {
  const hits = detections(service.entries);
  const shown = hits.slice(0, max).map((e) => (e.detail ? `${e.name}: ${e.detail}` : e.name));
  const more = hits.length > max ? `, +${hits.length - max} more` : '';
  const list = shown.length > 0 ? ` (${shown.join(', ')}${more})` : '';
  return `${displayName(names, service.service)}: ${service.summary ?? service.verdict ?? service.status}${list}`;
}

/**
 * An error as a table shows it: the vendor's own words, never a page of HTML or a schema dump.
 * `HTTP 401 Unauthorized: {"error":{"message":"Wrong API key",…` → `HTTP 401 Unauthorized: Wrong API key`;
 * an HTML body gives its <title> or nothing. JSON reports keep the whole message.
 */
export function briefError(message: string): string {
  const schema = message.indexOf(': ✖');
  if (schema >= 0) return `${message.slice(0, schema)} (the details: --json)`;
  const http = /^(HTTP \d{3}[^:]*): ([\s\S]*)$/.exec(message);
  if (!http) return message;
  const [, head, body = ''] = http;
  const trimmed = body.trim();
  if (trimmed.startsWith('<')) {
    const title = /<title[^>]*>([^<]{1,120})</i.exec(trimmed)?.[1]?.trim();
    return title ? `${head}: ${title}` : `${head}`;
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    // A regex, not JSON.parse: the body is often cut short ("…") and still names its message.
    const said =
      /"(?:message|error_message|error|detail|verbose_msg|msg|query_status|reason)"\s*:\s*"((?:[^"\\]|\\.){1,160})"/.exec(
        trimmed,
      )?.[1];
    return said ? `${head}: ${said.replace(/\\(.)/g, '$1')}` : `${head}`;
  }
  return message;
}

export const SORT_ORDERS = ['verdict', 'path', 'input'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Worst first: what needs a look (flagged, unreadable, unanswered) before what is settled. */
const RANK = ['malicious', 'suspicious', 'error', 'unknown', 'undetected', 'clean', 'allowed'];

function rank(result: Judged): number {
  return RANK.indexOf(result.error ? 'error' : result.allowList ? 'allowed' : result.verdict);
}

/** Results in the order a report lists them; `input` keeps the order the targets were given in. */
export function sortResults(results: readonly Judged[], order: SortOrder): Judged[] {
  const sorted = [...results];
  if (order === 'verdict') sorted.sort((a, b) => rank(a) - rank(b));
  if (order === 'path') sorted.sort((a, b) => compare(targetName(a.target), targetName(b.target)));
  return sorted;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What a service or engine said, in a drift line: the signature when it flags and has one, else the category. */
export function driftStateText(state: DriftState | null): string {
  if (state === null) return 'absent';
  if (state.category === 'not_found') return 'not found';
  const flags = state.category === 'malicious' || state.category === 'suspicious';
  return flags && state.detail ? state.detail : state.category;
}

/**
 * One change since the baseline: `VirusTotal · Microsoft: clean → Trojan:Win32/Wacatac`, or for a
 * service's own verdict `MalwareBazaar: not found → malicious`.
 */
export function driftText(change: DriftChange, names: ServiceNames): string {
  const who = displayName(names, change.service);
  const what = change.engine === null ? who : `${who} · ${change.engine}`;
  // A service's own verdict by its category (its summary is in the JSON); an engine by its signature.
  const state = (s: DriftState | null) =>
    change.engine === null && s !== null ? s.category.replace('_', ' ') : driftStateText(s);
  const before = state(change.before);
  const after = state(change.after);
  return `${what}: ${before} → ${after}`;
}

/** `worse than the baseline (was clean): 2 new detections, 1 changed · 1 service not compared`. */
export function driftSummary(result: Judged): string | null {
  const drift = result.drift;
  if (!drift) return null;
  if (drift.matchedBy === null) return 'not in the baseline';
  const worse = drift.changes.filter((c) => c.worse).length;
  const other = drift.changes.length - worse;
  const parts: string[] = [];
  if (worse > 0) parts.push(`${worse} new ${worse === 1 ? 'detection' : 'detections'}`);
  if (other > 0) parts.push(`${other} other ${other === 1 ? 'change' : 'changes'}`);
  const verdict =
    drift.verdictBefore !== result.verdict ? ` (was ${drift.verdictBefore}, now ${result.verdict})` : '';
  const head = drift.worse ? `worse than the baseline${verdict}` : `not worse than the baseline${verdict}`;
  const changes = parts.length > 0 ? `: ${parts.join(', ')}` : ': no change';
  const skipped = drift.skipped.length;
  const tail = skipped > 0 ? ` · ${skipped} ${skipped === 1 ? 'service' : 'services'} not compared` : '';
  return `${head}${changes}${tail}`;
}
