import type { TargetResult } from '../normalize/model.js';
import { severity } from '../normalize/verdict.js';

/** Documented in README.md ("Exit codes"); in the spirit of clamscan. */
export const EXIT = {
  /** No target reached the fail level. */
  ok: 0,
  /** At least one target reached the fail level (`--fail-on`, default malicious). */
  flagged: 1,
  /** Usage, config or input error. */
  usage: 2,
  /** Some target got no answer at all: every service that could answer failed. */
  incomplete: 3,
  /** A bug in ti-check itself. */
  internal: 4,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

export const FAIL_LEVELS = ['malicious', 'suspicious', 'none'] as const;
export type FailLevel = (typeof FAIL_LEVELS)[number];

/** Whether any service gave an answer (found or not found) for this target. */
export function isAnswered(result: TargetResult): boolean {
  return result.services.some((s) => s.status === 'found' || s.status === 'not_found');
}

export function exitCodeFor(results: readonly TargetResult[], failOn: FailLevel): number {
  if (failOn !== 'none' && results.some((r) => severity(r.verdict) >= severity(failOn))) return EXIT.flagged;
  if (results.some((r) => !isAnswered(r))) return EXIT.incomplete;
  return EXIT.ok;
}
