/**
 * The batch run: targets stream in, each distinct (service, hash) is looked up once — from the
 * cache when it can, else through the service's throttle and concurrency cap — and every target is
 * handed to `onResult` as soon as all its services have answered. Memory stays bounded: a window of
 * targets in flight and a bounded memo of recent answers.
 */

import { isoTime } from '../clock.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import type { HashRef, ServiceResult, TargetResult } from '../model/report.js';
import { withFields } from '../model/with-fields.js';
import { applyEnginePolicy } from '../normalize/result.js';
import { overallVerdict } from '../normalize/verdict.js';
import { tuneProcess } from '../process-tuning.js';
import type { BatchItem } from './batch-item.js';
import type { AnswerCache } from './cache/index.js';
import { fillHashes, relinkBySha256 } from './fill-hashes.js';
import { mapIn } from './map-in.js';
import { AnswerMemo } from './memo.js';
import type { PreparedService } from './prepare.js';
import { checkService, grayResult, type RunOptions } from './run.js';
import { pickHash } from './targets.js';

/** `use`: read and write; `refresh`: ask again and overwrite; `offline`: read only, never ask; `off`. */
export type CacheMode = 'use' | 'refresh' | 'offline' | 'off';

export interface BatchCounters {
  targetsQueued: number;
  targetsDone: number;
  lookupsDone: number;
  lookupsInFlight: number;
  cacheHits: number;
}

export interface BatchOptions extends RunOptions {
  cache?: AnswerCache;
  cacheMode: CacheMode;
  limiters: ReadonlyMap<string, RateLimiter>;
  /** Lookups of one service in flight at once. */
  concurrencyFor(serviceId: string): number;
  /** Ask known-good services first; skip the others for files they know as clean. */
  skipKnownGood: boolean;
  /** Targets in flight at once (memory bound). */
  window?: number;
  /** The budget of the memo of recent answers, in (estimated) bytes; default DEFAULT_MEMO_BYTES. */
  memoBytes?: number;
  /**
   * Whether the consumer of results has caught up: a promise to wait for before the next target
   * starts, or undefined to go on (streamed lines never pile up in memory).
   */
  ready?: () => Promise<void> | undefined;
  counters?: BatchCounters;
  onResult(result: TargetResult, index: number): void;
}

const DEFAULT_WINDOW = 256;

export function newCounters(): BatchCounters {
  return { targetsQueued: 0, targetsDone: 0, lookupsDone: 0, lookupsInFlight: 0, cacheHits: 0 };
}

/** `items`: the targets in batches (gatherTargets), so that a target costs no trip through a promise. */
export async function runBatch(
  items: AsyncIterable<readonly BatchItem[]>,
  services: readonly PreparedService[],
  options: BatchOptions,
): Promise<void> {
  const counters = options.counters ?? newCounters();
  const lookup = createSharedLookup(options, counters);
  const knownGood = options.skipKnownGood
    ? services.filter((s) => s.definition.kind === 'known-good' && !s.disabledReason)
    : [];

  async function check(item: BatchItem): Promise<TargetResult> {
    if (item.error) return { target: item.target, verdict: 'unknown', services: [], error: item.error };
    const { target } = item;
    const [only] = services;
    const results =
      knownGood.length > 0
        ? await knownGoodFirst(target)
        : services.length === 1 && only
          ? [await lookup(target, only)]
          : await Promise.all(services.map((service) => lookup(target, service)));
    // Asked by MD5 or SHA-1: the services that know the file complete its other hashes.
    const completed = fillHashes(target, results);
    const learnt = !target.sha256 ? completed.sha256 : null;
    const rows = relinkBySha256(results, services, (s) => pickHash(target, s.definition.hashTypes), learnt);
    return { target: completed, verdict: overallVerdict(rows), services: rows };
  }

  /** --skip-known-good: the known-good services first; the others only for files they do not know as clean. */
  async function knownGoodFirst(target: TargetResult['target']): Promise<ServiceResult[]> {
    const first = new Map<PreparedService, ServiceResult>();
    for (const [service, result] of await Promise.all(
      knownGood.map(async (s) => [s, await lookup(target, s)] as const),
    )) {
      first.set(service, result);
    }
    const known = [...first.values()].find((r) => r.status === 'found' && r.verdict === 'clean');
    return Promise.all(
      services.map(async (service) => {
        const early = first.get(service);
        if (early) return early;
        if (known && !service.disabledReason) return skipped(service, known.service);
        return lookup(target, service);
      }),
    );
  }

  const window = options.window ?? DEFAULT_WINDOW;
  // Targets in flight, counted, and one waiter for a free slot. (Promise.race over the window would
  // add a reaction to every pending task per target: reactions pile up, and a 100k-hash run drowns
  // in garbage.)
  let active = 0;
  let slotFreed: (() => void) | undefined;
  let failure: { error: unknown } | undefined;
  const finish = async (item: BatchItem, position: number) => {
    try {
      const result = await check(item);
      counters.targetsDone++;
      // After Ctrl-C, in-flight lookups end as "cancelled": such targets are dropped, not printed.
      if (!options.signal?.aborted) options.onResult(result, position);
    } catch (error) {
      failure ??= { error };
    } finally {
      active--;
      const wake = slotFreed;
      slotFreed = undefined;
      wake?.();
    }
  };
  let index = 0;
  reading: for await (const batch of items) {
    for (const item of batch) {
      const behind = options.ready?.();
      if (behind) await behind;
      if (options.signal?.aborted || failure) break reading;
      const position = index++;
      // A second target: a batch, which the process is tuned for however long it turns out to be.
      if (position === 1) tuneProcess();
      counters.targetsQueued++;
      active++;
      void finish(item, position);
      while (active >= window) await new Promise<void>((resolve) => (slotFreed = resolve));
    }
  }
  while (active > 0) await new Promise<void>((resolve) => (slotFreed = resolve));
  if (failure) throw failure.error;
}

function skipped(service: PreparedService, by: string): ServiceResult {
  const hint = `skipped: known good according to ${by} (--skip-known-good)`;
  return notFromCache(grayResult(service.definition.id, 'disabled', hint));
}

/** A row that no cache answered and no vendor was asked for: still says so, as every batch row does. */
function notFromCache(result: ServiceResult): ServiceResult {
  return withFields(result, { cached: false, fetchedAt: null });
}

type SharedLookup = (target: TargetResult['target'], service: PreparedService) => Promise<ServiceResult>;

/** One lookup per distinct (service, base URL, hash): in flight, recent, or cached. */
function createSharedLookup(options: BatchOptions, counters: BatchCounters): SharedLookup {
  // By service (at its base URL), then by the hash's digits: unique among hash types, whose lengths
  // differ, and a string the lookup already has, where a key joining the three would be a new one
  // to hash for every lookup of a batch.
  const inFlight = new Map<PreparedService, Map<string, Promise<ServiceResult>>>();
  // Recent answers, so duplicates share a lookup even with the cache off: bounded by bytes.
  const memo = new AnswerMemo(options.memoBytes);
  const gates = new Map<string, Semaphore>();
  const runOptions: RunOptions = {
    policy: options.policy,
    signal: options.signal,
    limiterFor: (id) => options.limiters.get(id),
    debug: options.debug,
  };

  async function ask(
    target: TargetResult['target'],
    service: PreparedService,
    hash: HashRef,
  ): Promise<ServiceResult> {
    const cacheKey = { service: service.definition.id, baseUrl: service.baseUrl, hash };
    const { cache, cacheMode } = options;
    // A shared cache's lease: the other processes wait for this one's answer instead of asking too.
    let claimed: (() => void) | undefined;
    if (cache && (cacheMode === 'use' || cacheMode === 'offline')) {
      let hit: ServiceResult | undefined;
      if (cache.claim && cacheMode === 'use') {
        const claim = await cache.claim(cacheKey, options.signal);
        hit = claim.answer;
        claimed = claim.release;
      } else {
        const got = cache.get(cacheKey);
        hit = got instanceof Promise ? await got : got;
      }
      if (hit) {
        counters.cacheHits++;
        options.debug?.(
          `${service.definition.id}: ${hash.type} ${hash.value}: from the cache (${hit.fetchedAt})`,
        );
        return applyEnginePolicy(hit, options.policy);
      }
    }
    if (cacheMode === 'offline')
      return notFromCache(grayResult(service.definition.id, 'disabled', 'offline: no cached answer'));
    try {
      let gate = gates.get(service.definition.id);
      if (!gate) {
        gate = new Semaphore(options.concurrencyFor(service.definition.id));
        gates.set(service.definition.id, gate);
      }
      counters.lookupsInFlight++;
      // The service's cap on lookups in flight, taken here rather than through a wrapper around
      // the lookup: one async layer less for every lookup of a batch.
      if (gate.full()) await gate.turn();
      gate.enter();
      let result: ServiceResult;
      try {
        result = await checkService(target, service, runOptions);
      } finally {
        gate.leave();
      }
      counters.lookupsInFlight--;
      counters.lookupsDone++;
      const answered = result.status === 'found' || result.status === 'not_found';
      const fresh: ServiceResult = withFields(result, {
        cached: false,
        fetchedAt: answered ? isoTime() : null,
      });
      if (cache && answered && cacheMode !== 'off' && !options.signal?.aborted) cache.put(cacheKey, fresh);
      return fresh;
    } finally {
      // After the put: a process waiting on the lease finds the answer, or (an error) asks itself.
      claimed?.();
    }
  }

  // Not an async function: it hands on the promise of a lookup already under way, and an async
  // wrapper would add two turns of the microtask queue to every lookup of a batch.
  return (target, service) => {
    const hash = service.disabledReason ? null : pickHash(target, service.definition.hashTypes);
    if (!hash) {
      // Disabled or unsupported: a gray row, no lookup to share.
      return checkService(target, service, runOptions).then(notFromCache);
    }
    const key = hash.value;
    const known = memo.get(service, key);
    if (known) return Promise.resolve(known);
    const asking = mapIn(inFlight, service);
    const underWay = asking.get(key);
    if (underWay) return underWay;
    const promise = ask(target, service, hash);
    asking.set(key, promise);
    void promise.then((result) => {
      asking.delete(key);
      if (result.status !== 'error') memo.set(service, key, result);
    });
    return promise;
  };
}

/** At most `limit` tasks at once; the rest wait in order: `if (full()) await turn(); enter(); … leave()`. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  full(): boolean {
    return this.active >= this.limit;
  }

  /** Resolves when a task that was running leaves, in the order of the callers. */
  turn(): Promise<void> {
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  enter(): void {
    this.active++;
  }

  leave(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}
