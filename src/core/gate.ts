/** The CI gate, per target: whether a judged target trips it, or only makes the run incomplete. */
import type { Policy } from '../model/policy.js';
import type { TargetResult } from '../model/report.js';
import { severity } from '../model/verdict.js';

export type FailOn = NonNullable<Policy['failOn']>;

/** Which verdict trips the gate, and whether a target nobody could answer does too. */
export interface Gate {
  failOn: FailOn;
  /** Fail closed: a file no service could answer trips the gate instead of making the run incomplete. */
  failOnIncomplete?: boolean;
  /** With a baseline: a target the baseline has trips the gate only when it got worse (not on `failOn`). */
  failOnDrift?: boolean;
}

/** Whether any service gave an answer (found or not found) for this target. */
export function isAnswered(result: TargetResult): boolean {
  return result.services.some((s) => s.status === 'found' || s.status === 'not_found');
}

/**
 * `flagged` when a target reaches the fail level (or, with `failOnIncomplete`, got no answer at all),
 * else `incomplete` when one got no answer, else `ok`. Allow-listed targets never trip the gate.
 */
export function gateOf(
  results: readonly (TargetResult & { allowList?: unknown })[],
  gate: FailOn | Gate,
): 'flagged' | 'incomplete' | 'ok' {
  const settings: Gate = typeof gate === 'string' ? { failOn: gate } : gate;
  const { failOn, failOnIncomplete = false } = settings;
  const gated = results.filter((r) => !r.allowList);
  const trips = (r: TargetResult) =>
    gatedByDrift(r, settings)
      ? r.drift?.worse === true
      : failOn !== 'none' && severity(r.verdict) >= severity(failOn);
  if (gated.some(trips)) return 'flagged';
  if (gated.some((r) => !isAnswered(r))) return failOnIncomplete ? 'flagged' : 'incomplete';
  return 'ok';
}

/** Whether the target's own verdict reached --fail-on (named in the gate's line; incomplete ones are not). */
export function reachesFailLevel(result: TargetResult, failOn: FailOn): boolean {
  return result.verdict === 'malicious' || (failOn === 'suspicious' && result.verdict === 'suspicious');
}

/** `--fail-on-drift` and the baseline has this target: its drift, not its verdict, decides. */
export function gatedByDrift(result: TargetResult, gate: Gate): boolean {
  return gate.failOnDrift === true && (result.drift?.matchedBy ?? null) !== null;
}
