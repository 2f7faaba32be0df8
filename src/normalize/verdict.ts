/** The verdict policy: pure functions from engine rows and service verdicts to verdicts. */
import type { Policy } from '../config/schema.js';
import type { Category, Entry, OverallVerdict, ServiceResult, Stats } from './model.js';

export function countStats(entries: readonly Entry[]): Stats {
  const stats: Stats = { malicious: 0, suspicious: 0, clean: 0, undetected: 0, total: 0 };
  for (const entry of entries) {
    stats[entry.category]++;
    stats.total++;
  }
  return stats;
}

/**
 * A multi-engine service's verdict: malicious from `minMaliciousEngines` detections on; fewer
 * detections (or any suspicious one) make it suspicious; else clean when an engine affirms it.
 */
export function engineVerdict(stats: Stats, policy: Pick<Policy, 'minMaliciousEngines'>): Category {
  if (stats.malicious >= policy.minMaliciousEngines) return 'malicious';
  if (stats.malicious > 0 || stats.suspicious > 0) return 'suspicious';
  if (stats.clean > 0) return 'clean';
  return 'undetected';
}

/** Severity order. An affirmed `clean` outranks `undetected`, which only means nobody flagged it. */
const SEVERITY: Record<Category, number> = { malicious: 3, suspicious: 2, clean: 1, undetected: 0 };

export function worstVerdict(verdicts: readonly Category[]): Category | undefined {
  let worst: Category | undefined;
  for (const verdict of verdicts) {
    if (worst === undefined || SEVERITY[verdict] > SEVERITY[worst]) worst = verdict;
  }
  return worst;
}

/** The file's verdict: the worst verdict of the services that found it; unknown when none did. */
export function overallVerdict(services: readonly ServiceResult[]): OverallVerdict {
  const verdicts = services.flatMap((s) => (s.status === 'found' && s.verdict ? [s.verdict] : []));
  return worstVerdict(verdicts) ?? 'unknown';
}

export function severity(verdict: OverallVerdict): number {
  return verdict === 'unknown' ? -1 : SEVERITY[verdict];
}
