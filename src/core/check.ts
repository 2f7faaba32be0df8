/**
 * The check pipeline: gather targets → look them up → judge them → the outcome. What the CLI, every
 * report format, `--open` and a library caller consume: each target the report keeps goes to
 * `onTarget` as soon as it is complete (in completion order, with its input index), and the outcome
 * (counts, summaries of flagged and unanswered targets, what the exit code depends on) comes back.
 */

import { setMaxListeners } from 'node:events';
import type { RateLimiter } from '../http/rate-limiter.js';
import type { Policy } from '../model/policy.js';
import type { ReportTargetResult } from '../model/report.js';
import { withFields } from '../model/with-fields.js';
import type { AllowList } from '../normalize/allow-list.js';
import { judgeTarget } from '../normalize/policy.js';
import { type BatchCounters, type CacheMode, newCounters, runBatch } from './batch.js';
import type { AnswerCache } from './cache/index.js';
import { describeFlagged, describeUnanswered, describeWorse, isWorthReporting } from './describe.js';
import { type Baseline, driftOf } from './drift.js';
import type { Fleet } from './fleet/index.js';
import { type Gate, gatedByDrift, gateOf, isAnswered, reachesFailLevel } from './gate.js';
import { type GatherRequest, gatherTargets } from './gather.js';
import type { PreparedService } from './prepare.js';

export const DEFAULT_CONCURRENCY = 4;
/** The first flagged targets described, in input order; the rest are counted. */
export const MAX_FLAGGED_NAMED = 3;
/** The first unanswered targets described, in input order; the rest are counted. */
export const MAX_UNANSWERED_LINES = 20;

export interface CheckRequest extends GatherRequest {
  services: readonly PreparedService[];
  policy: Policy;
  allowList?: AllowList;
  cache?: AnswerCache;
  cacheMode: CacheMode;
  limiters: ReadonlyMap<string, RateLimiter>;
  /** Lookups of one service in flight at once (default 4). */
  concurrencyFor?(serviceId: string): number;
  skipKnownGood: boolean;
  /** Keep only flagged and unreadable targets (the others are counted in `hidden`, and still gate). */
  onlyFlagged: boolean;
  /** Service id → display name, for the summaries. */
  names: Readonly<Record<string, string>>;
  /** An earlier report (`--baseline`): each target gets its `drift`. */
  baseline?: Baseline;
  /** A shared cache that the run may not go on without (`--cache-required`): its loss ends the run. */
  fleet?: Pick<Fleet, 'fatal' | 'onFatal'>;
}

export interface CheckOptions {
  signal?: AbortSignal;
  counters?: BatchCounters;
  /** A judged target the report keeps, as soon as it is complete. */
  onTarget?(result: ReportTargetResult, index: number): void;
  /** A promise while the consumer cannot take more (a streamed reader that is behind): the next target waits. */
  ready?(): Promise<void> | undefined;
  /** A file skipped or unreadable during the walk, a hash-list line that is not a hash, … */
  onWarning?(message: string): void;
  debug?(line: string): void;
}

export interface CheckOutcome {
  gate: Gate;
  /** Targets complete (all of them unless interrupted). */
  targets: number;
  /** Some target trips the gate. */
  flagged: boolean;
  /** Some target got no answer (and did not trip the gate). */
  incomplete: boolean;
  /** Targets whose verdict reached --fail-on, and the first MAX_FLAGGED_NAMED described. */
  flaggedCount: number;
  flaggedShown: string[];
  /** Targets nobody could answer, and the first MAX_UNANSWERED_LINES described. */
  unansweredCount: number;
  unanswered: string[];
  /** Left out by `onlyFlagged`. */
  hidden: number;
  /** Hash-list lines that were not hashes. */
  invalidLines: number;
  /** `[service id, why]`: rate limits used up for the run. */
  exhausted: [string, string][];
  /** `[service id, why]` (redacted): services asked no more this run (a rejected key, repeated failures). */
  writtenOff: [string, string][];
  /** The signal fired before the run was complete. */
  interrupted: boolean;
  /** With a baseline: targets worse than in it (allow-listed ones aside), and the first MAX_FLAGGED_NAMED described. */
  worseCount: number;
  worseShown: string[];
  /** With a baseline: targets it does not have (gated by --fail-on as usual). */
  notInBaseline: number;
}

/** Keeps the entries with the lowest indexes, at most `max`. */
function keepFirst(list: [number, string][], entry: [number, string], max: number): void {
  list.push(entry);
  list.sort((a, b) => a[0] - b[0]).splice(max);
}

export async function check(request: CheckRequest, options: CheckOptions = {}): Promise<CheckOutcome> {
  const { policy, fleet } = request;
  // The caller's signal, or the loss of a shared cache the run requires: either stops the lookups.
  const { signal: callerSignal } = options;
  const stop = new AbortController();
  fleet?.onFatal((error) => stop.abort(error));
  const signal = !fleet
    ? callerSignal
    : callerSignal
      ? AbortSignal.any([callerSignal, stop.signal])
      : stop.signal;
  // Every lookup waiting for a slot or a lease listens to it: hundreds at once is expected.
  if (signal && signal !== callerSignal) setMaxListeners(0, signal);
  const gate: Gate = {
    failOn: policy.failOn ?? 'malicious',
    failOnIncomplete: policy.failOnIncomplete,
    failOnDrift: request.baseline !== undefined && policy.failOnDrift === true,
  };
  const warn = options.onWarning ?? (() => {});
  const flaggedShown: [number, string][] = [];
  const unanswered: [number, string][] = [];
  const worseShown: [number, string][] = [];
  const outcome: CheckOutcome = {
    gate,
    targets: 0,
    flagged: false,
    incomplete: false,
    flaggedCount: 0,
    flaggedShown: [],
    unansweredCount: 0,
    unanswered: [],
    hidden: 0,
    invalidLines: 0,
    exhausted: [],
    writtenOff: [],
    interrupted: false,
    worseCount: 0,
    worseShown: [],
    notInBaseline: 0,
  };
  const items = gatherTargets(request, {
    signal,
    onWarning: warn,
    onInvalidLine: (message) => {
      outcome.invalidLines++;
      warn(message);
    },
  });
  await runBatch(items, request.services, {
    ready: options.ready,
    policy,
    signal,
    cache: request.cache,
    cacheMode: request.cacheMode,
    limiters: request.limiters,
    concurrencyFor: request.concurrencyFor ?? (() => DEFAULT_CONCURRENCY),
    skipKnownGood: request.skipKnownGood,
    counters: options.counters ?? newCounters(),
    debug: options.debug,
    onResult: (raw, index) => {
      outcome.targets++;
      const judged = judgeTarget(raw, { policy, allowList: request.allowList });
      const result = request.baseline
        ? withFields(judged, { drift: driftOf(judged, request.baseline) })
        : judged;
      const state = gateOf([result], gate);
      if (state === 'flagged') outcome.flagged = true;
      if (state === 'incomplete') outcome.incomplete = true;
      if (result.drift?.matchedBy === null) outcome.notInBaseline++;
      if (result.drift?.worse && !result.allowList) {
        outcome.worseCount++;
        keepFirst(worseShown, [index, describeWorse(result, request.names)], MAX_FLAGGED_NAMED);
      }
      // Named in the gate's line: the targets whose verdict reached --fail-on (not the incomplete ones,
      // nor those --fail-on-drift judges by their drift).
      if (state === 'flagged' && !gatedByDrift(result, gate) && reachesFailLevel(result, gate.failOn)) {
        outcome.flaggedCount++;
        keepFirst(flaggedShown, [index, describeFlagged(result, request.names)], MAX_FLAGGED_NAMED);
      }
      if (!isAnswered(result)) {
        outcome.unansweredCount++;
        const line = describeUnanswered(result, gate.failOnIncomplete === true);
        keepFirst(unanswered, [index, line], MAX_UNANSWERED_LINES);
      }
      if (request.onlyFlagged && !isWorthReporting(result)) outcome.hidden++;
      else options.onTarget?.(result, index);
    },
  });
  if (fleet?.fatal) throw fleet.fatal;
  outcome.flaggedShown = flaggedShown.map(([, line]) => line);
  outcome.unanswered = unanswered.map(([, line]) => line);
  outcome.worseShown = worseShown.map(([, line]) => line);
  outcome.interrupted = signal?.aborted === true;
  for (const [id, limiter] of request.limiters) {
    if (limiter.exhausted) outcome.exhausted.push([id, limiter.exhausted]);
  }
  for (const { definition, run } of request.services) {
    if (run.writtenOff) outcome.writtenOff.push([definition.id, run.secrets.redact(run.writtenOff.message)]);
  }
  return outcome;
}
