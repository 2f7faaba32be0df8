/** Small pieces every report format shares. Pure. */
import type { Entry, ReportTargetResult, Target } from '../normalize/model.js';

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
