/**
 * Per-service throttle: at most `requests` request starts in any rolling window of `perSeconds`
 * (stricter than a token bucket, which allows a double burst at a window edge and so earns 429s from
 * vendors that count a sliding window), a shared pause after a 429 with Retry-After, and a
 * run-long "quota exhausted" state so a spent daily quota costs one request, not a retry storm.
 * Until the service has answered once, one request at a time: a quota spent before the run
 * started is found by a single request, not by as many as the limit lets start at once.
 *
 * A lookup's first request takes its slot with `acquire`; any further request of the same lookup
 * (Triage's summary, a sandbox's report pages) with `acquireFollowUp`, which goes before new
 * lookups so that a lookup under way finishes instead of starving behind fresh ones.
 */
import { RateLimitError } from '../errors.js';
import { sleep } from './sleep.js';

export interface RateLimitSettings {
  requests: number;
  perSeconds: number;
  /** Requests this run may make in all (a daily quota); undefined = no cap. */
  daily?: number;
}

/** A spent quota: the service is red for the rest of the run. */
export class QuotaExhaustedError extends RateLimitError {
  override name = 'QuotaExhaustedError';
}

export interface RateLimiter {
  /** Waits for a request slot; throws QuotaExhaustedError once the quota is spent. */
  acquire(signal?: AbortSignal): Promise<void>;
  /**
   * Takes a slot when one is free right now, as `acquire` would at once: true. False when
   * `acquire` would wait or throw (call it then). Spares a batch a promise per lookup.
   */
  tryAcquire(signal?: AbortSignal): boolean;
  /**
   * A slot for another request of a lookup that already holds one: counted like any request (window
   * and daily quota), ahead of new lookups, and never held back by the one-at-a-time start.
   */
  acquireFollowUp(signal?: AbortSignal): Promise<void>;
  /**
   * The request of an `acquire` is over: `answered` (anything but a 429) lifts the one-at-a-time
   * start; `rate-limited` lets the next request try, after any `pause` or `exhaust` it caused.
   */
  finished(outcome: 'answered' | 'rate-limited'): void;
  /** Holds every request of this service for `seconds` (a 429 with Retry-After). */
  pause(seconds: number): void;
  /** Marks the quota spent: every later `acquire` fails at once with this reason. */
  exhaust(reason: string): void;
  readonly exhausted: string | undefined;
  /** Requests started so far. */
  readonly started: number;
  /** Milliseconds requests have spent waiting for a slot, summed. */
  readonly waitedMs: number;
  /** When the next slot frees, ms from now (0 = free now); for progress display. */
  nextSlotInMs(): number;
  /** A limit shared with other processes (src/core/fleet): ms until the slot it waits for may free. */
  sharedWaitMs?(): number;
}

/** A little slack so that network jitter never lets two windows' worth of requests arrive in one. */
const SLACK_MS = 50;

export function createRateLimiter(settings: RateLimitSettings, now: () => number = Date.now): RateLimiter {
  const windowMs = settings.perSeconds * 1000 + SLACK_MS;
  // Start times of the requests in the current window, oldest first, from `head` on (no O(n) shift).
  let starts: number[] = [];
  let head = 0;
  let pausedUntil = 0;
  let exhausted: string | undefined;
  let started = 0;
  let waitedMs = 0;
  // Before the first answer: is a request out, and who waits for it.
  let answered = false;
  let probing = false;
  let probeWaiters: Array<() => void> = [];

  const wakeProbeWaiters = () => {
    const waiters = probeWaiters;
    probeWaiters = [];
    for (const wake of waiters) wake();
  };

  const delay = (): number => {
    const t = now();
    if (pausedUntil > t) return pausedUntil - t;
    while (head < starts.length && (starts[head] as number) <= t - windowMs) head++;
    if (head > 1024 && head * 2 > starts.length) {
      starts = starts.slice(head);
      head = 0;
    }
    if (starts.length - head < settings.requests) return 0;
    return (starts[head] as number) + windowMs - t;
  };

  /** Throws when the quota is spent or the run is aborted. */
  const checkQuota = (signal?: AbortSignal) => {
    if (settings.daily !== undefined && started >= settings.daily) {
      exhausted ??= `daily quota of ${settings.daily} requests used up by this run; skipped for the rest of it`;
    }
    if (exhausted) throw new QuotaExhaustedError(exhausted);
    signal?.throwIfAborted();
  };
  const take = () => {
    starts.push(now());
    started++;
  };
  /** A lookup's first request: until the service has answered once, it is the only one out. */
  const takeFirst = () => {
    take();
    if (!answered) probing = true;
  };
  let followUpsWaiting = 0;

  return {
    async acquireFollowUp(signal) {
      followUpsWaiting++;
      try {
        for (;;) {
          checkQuota(signal);
          const wait = delay();
          if (wait <= 0) return take();
          waitedMs += wait;
          await sleep(wait, signal);
        }
      } finally {
        followUpsWaiting--;
      }
    },
    tryAcquire(signal) {
      if (exhausted || signal?.aborted || (!answered && probing) || followUpsWaiting > 0) return false;
      if (settings.daily !== undefined && started >= settings.daily) return false;
      if (delay() > 0) return false;
      takeFirst();
      return true;
    },
    async acquire(signal) {
      for (;;) {
        checkQuota(signal);
        if (!answered && probing) {
          await new Promise<void>((resolve, reject) => {
            const onAbort = () => reject(signal?.reason);
            signal?.addEventListener('abort', onAbort, { once: true });
            probeWaiters.push(() => {
              signal?.removeEventListener('abort', onAbort);
              resolve();
            });
          });
          continue;
        }
        const wait = delay();
        if (wait <= 0 && followUpsWaiting === 0) return takeFirst();
        // While a follow-up waits, this one looks again just after the slot frees, so the
        // follow-up (which wakes right at that time) takes it.
        const pause = followUpsWaiting > 0 ? Math.max(wait, 0) + 1 : wait;
        waitedMs += pause;
        await sleep(pause, signal);
      }
    },
    finished(outcome) {
      if (outcome === 'answered') answered = true;
      probing = false;
      wakeProbeWaiters();
    },
    pause(seconds) {
      pausedUntil = Math.max(pausedUntil, now() + seconds * 1000);
    },
    exhaust(reason) {
      exhausted ??= reason;
      wakeProbeWaiters();
    },
    get exhausted() {
      return exhausted;
    },
    get started() {
      return started;
    },
    get waitedMs() {
      return waitedMs;
    },
    nextSlotInMs: () => Math.max(0, delay()),
  };
}
