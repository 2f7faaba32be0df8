/** Verdict order: which of two verdicts is worse. Used by the verdict policy, the exit-code gate and adapters. */
import type { Category, OverallVerdict } from './report.js';

/** Severity order. An affirmed `clean` outranks `undetected`, which only means nobody flagged it. */
const SEVERITY: Record<Category, number> = { malicious: 3, suspicious: 2, clean: 1, undetected: 0 };

export function worstVerdict(verdicts: readonly Category[]): Category | undefined {
  let worst: Category | undefined;
  for (const verdict of verdicts) {
    if (worst === undefined || SEVERITY[verdict] > SEVERITY[worst]) worst = verdict;
  }
  return worst;
}

export function severity(verdict: OverallVerdict): number {
  return verdict === 'unknown' ? -1 : SEVERITY[verdict];
}
