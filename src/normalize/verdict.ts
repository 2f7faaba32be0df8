/** The verdict policy: pure functions from engine rows and service verdicts to verdicts. */
import type { Policy } from '../model/policy.js';
import type {
  Category,
  Entry,
  OverallVerdict,
  ServiceReason,
  ServiceResult,
  Stats,
} from '../model/report.js';
import { worstVerdict } from '../model/verdict.js';

export function countStats(entries: readonly Entry[]): Stats {
  const stats: Stats = { malicious: 0, suspicious: 0, clean: 0, undetected: 0, total: 0 };
  for (const entry of entries) {
    stats[entry.category]++;
    stats.total++;
  }
  return stats;
}

export type EnginePolicy = Pick<Policy, 'minMaliciousEngines' | 'minDetectionRatio' | 'trustedEngines'>;

/**
 * The engine rules, in order, with the one that decided: the threshold (count, and ratio when set;
 * a ratio only ever raises the bar), then a trusted engine's single detection, then below the bar.
 */
export function judgeEngines(
  stats: Stats,
  policy: EnginePolicy,
  entries: readonly Entry[],
): { verdict: Category; reason: ServiceReason } {
  const { malicious, suspicious, total } = stats;
  const min = policy.minMaliciousEngines;
  const ratio = total > 0 ? malicious / total : 0;
  const minRatio = policy.minDetectionRatio;
  const counted = `${malicious}/${total} engines malicious`;
  const bar = `${min} engines${minRatio === undefined ? '' : ` and ${percent(minRatio)}`}`;
  if (malicious >= min && (minRatio === undefined || ratio >= minRatio)) {
    const ratioText = minRatio === undefined ? '' : `, ${percent(ratio)} ≥ ${percent(minRatio)}`;
    return reasoned('malicious', 'engine-threshold', `${counted} (≥ ${min}${ratioText})`);
  }
  const trusted = new Set((policy.trustedEngines ?? []).map((name) => name.toLowerCase()));
  const hits = entries.filter((e) => e.category === 'malicious' && trusted.has(e.name.toLowerCase()));
  if (hits.length > 0) {
    const names = hits.map((e) => e.name).join(', ');
    return reasoned('malicious', 'trusted-engine', `trusted engine ${names} says malicious (${counted})`);
  }
  if (malicious > 0 || suspicious > 0) {
    const also = suspicious > 0 ? `, ${suspicious} suspicious` : '';
    return reasoned('suspicious', 'below-threshold', `${counted}${also}: below the bar of ${bar}`);
  }
  if (stats.clean > 0)
    return reasoned('clean', 'no-detections', `no engine flags it, ${stats.clean} say clean`);
  return reasoned('undetected', 'no-detections', `no engine flags it (${total} engines)`);
}

function reasoned(
  verdict: Category,
  rule: ServiceReason['rule'],
  message: string,
): { verdict: Category; reason: ServiceReason } {
  return { verdict, reason: { rule, message } };
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}

/** The file's verdict: the worst verdict of the services that found it; unknown when none did. */
export function overallVerdict(services: readonly ServiceResult[]): OverallVerdict {
  const verdicts = services.flatMap((s) => (s.status === 'found' && s.verdict ? [s.verdict] : []));
  return worstVerdict(verdicts) ?? 'unknown';
}
