import type { TargetResult } from '../model/report.js';
import { severity } from '../model/verdict.js';

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
  /** Stopped by SIGTERM (`kill`, `docker stop`, a cancelled CI job): 128 + 15. */
  terminated: 143,
  /** Whoever read stdout went away (`ti-check … | head`); 128 + SIGPIPE, as a shell reports it. */
  outputClosed: 141,
} as const;

/** The abort reason bin.ts gives for SIGTERM: stop as for Ctrl-C, with its own exit code. */
export class Terminated extends Error {
  override name = 'Terminated';
}

/** The abort reason bin.ts gives when stdout's reader has gone: stop quietly, nobody is listening. */
export class OutputClosed extends Error {
  override name = 'OutputClosed';
}

export const FAIL_LEVELS = ['malicious', 'suspicious', 'none'] as const;
export type FailLevel = (typeof FAIL_LEVELS)[number];

/** Whether any service gave an answer (found or not found) for this target. */
export function isAnswered(result: TargetResult): boolean {
  return result.services.some((s) => s.status === 'found' || s.status === 'not_found');
}

/** The CI gate: which verdict trips it, and whether a file nobody could answer does too. */
export interface Gate {
  failOn: FailLevel;
  /** Fail closed: a file no service could answer exits 1 instead of 3. */
  failOnIncomplete?: boolean;
}

/**
 * 1 when a file reaches the fail level (or, with `failOnIncomplete`, got no answer at all), else 3
 * when a file got no answer, else 0. Allow-listed files never trip the gate.
 */
export function exitCodeFor(
  results: readonly (TargetResult & { allowList?: unknown })[],
  gate: FailLevel | Gate,
): number {
  const { failOn, failOnIncomplete = false } = typeof gate === 'string' ? { failOn: gate } : gate;
  const gated = results.filter((r) => !r.allowList);
  if (failOn !== 'none' && gated.some((r) => severity(r.verdict) >= severity(failOn))) return EXIT.flagged;
  if (gated.some((r) => !isAnswered(r))) return failOnIncomplete ? EXIT.flagged : EXIT.incomplete;
  return EXIT.ok;
}
