import { type Gate, gateOf } from '../core/gate.js';
import type { TargetResult } from '../model/report.js';

/** Documented in README.md ("Exit codes"); in the spirit of clamscan. */
export const EXIT = {
  /** No target reached the fail level. */
  ok: 0,
  /**
   * At least one target reached the fail level (`--fail-on`, default malicious). `ti-check doctor`:
   * some configured service did not answer, or a config file is open to others.
   */
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

/** The one line for a bug in ti-check (exit 4): what threw, and a request to report it. */
export function internalErrorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `ti-check: internal error: ${message} (please report it)\n`;
}

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

export { type Gate, isAnswered } from '../core/gate.js';

const GATE_EXIT = { flagged: EXIT.flagged, incomplete: EXIT.incomplete, ok: EXIT.ok } as const;

/**
 * 1 when a file reaches the fail level (or, with `failOnIncomplete`, got no answer at all), else 3
 * when a file got no answer, else 0. Allow-listed files never trip the gate.
 */
export function exitCodeFor(
  results: readonly (TargetResult & { allowList?: unknown })[],
  gate: FailLevel | Gate,
): number {
  return GATE_EXIT[gateOf(results, gate)];
}
