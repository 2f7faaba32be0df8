/**
 * The per-service throttle, on a fake clock: vitest's fake timers drive both the limiter's sleeps
 * and the clock injected into it, so hours of waiting take no real time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createRateLimiter,
  QuotaExhaustedError,
  type RateLimitSettings,
} from '../../src/http/rate-limiter.js';

/**
 * What the limiter promises about a window of `perSeconds`: a slot frees strictly after the oldest
 * start has left it (a little later, so network jitter never fits two windows' requests in one), and
 * not much later. The bound is the test's, not a copy of the limiter's own margin.
 */
const MAX_LATE_MS = 250;
/** `ms` is past a window of `windowMs` but within the allowed lateness. */
function justAfter(ms: number, windowMs: number) {
  expect(ms).toBeGreaterThan(windowMs);
  expect(ms).toBeLessThanOrEqual(windowMs + MAX_LATE_MS);
}
const clock = () => Date.now();

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A limiter whose service has already answered once, so only the window and caps hold requests back. */
async function warmedUp(settings: RateLimitSettings) {
  const limiter = createRateLimiter(settings, clock);
  await limiter.acquire();
  limiter.finished('answered');
  return limiter;
}

/** Starts `n` acquires at once (each request answered at once); records when each got its slot, or how it failed. */
function acquireMany(settings: RateLimitSettings, n: number) {
  const limiter = createRateLimiter(settings, clock);
  const starts: number[] = [];
  const failures: unknown[] = [];
  const all = Promise.all(
    Array.from({ length: n }, () =>
      limiter.acquire().then(
        () => {
          starts.push(clock());
          limiter.finished('answered');
        },
        (error: unknown) => void failures.push(error),
      ),
    ),
  );
  return { limiter, starts, failures, all };
}

describe('createRateLimiter', () => {
  it('never lets more than `requests` start in any rolling window', async () => {
    const { starts, all } = acquireMany({ requests: 3, perSeconds: 1 }, 10);
    await vi.advanceTimersByTimeAsync(60_000);
    await all;
    expect(starts).toHaveLength(10);
    // Any `requests + 1` consecutive starts span more than a window…
    for (let i = 0; i + 3 < starts.length; i++) {
      justAfter((starts[i + 3] as number) - (starts[i] as number), 1000);
    }
    // …and it does not wait longer than it must: three at once, then three together per window.
    const t0 = starts[0] as number;
    const offsets = starts.map((t) => t - t0);
    expect(offsets.slice(0, 3)).toEqual([0, 0, 0]);
    for (const group of [offsets.slice(3, 6), offsets.slice(6, 9)]) {
      expect(new Set(group).size).toBe(1);
    }
  });

  it('frees a slot exactly when the oldest start leaves the window, not at a fixed tick', async () => {
    const limiter = await warmedUp({ requests: 2, perSeconds: 10 });
    await vi.advanceTimersByTimeAsync(4_000);
    await limiter.acquire();
    const third = limiter.acquire().then(clock);
    const predicted = limiter.nextSlotInMs();
    await vi.advanceTimersByTimeAsync(60_000);
    const at = await third;
    // The slot follows the first start (at 1_000_000), not the second (4 s later) or a tick.
    justAfter(at - 1_000_000, 10_000);
    // What it said it would wait is what it waited, to the millisecond.
    expect(predicted).toBe(at - 1_004_000);
    expect(limiter.waitedMs).toBe(at - 1_004_000);
    expect(limiter.started).toBe(3);
  });

  it('pause() holds every request of the service, even with slots free', async () => {
    const limiter = await warmedUp({ requests: 100, perSeconds: 1 });
    limiter.pause(5);
    expect(limiter.nextSlotInMs()).toBe(5_000);
    const waiting = [limiter.acquire().then(clock), limiter.acquire().then(clock)];
    await vi.advanceTimersByTimeAsync(4_999);
    expect(limiter.started).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await Promise.all(waiting)).toEqual([1_005_000, 1_005_000]);
    // A shorter pause never shortens a longer one already running.
    limiter.pause(10);
    limiter.pause(1);
    expect(limiter.nextSlotInMs()).toBe(10_000);
  });

  it('exhaust() fails every later acquire at once, and those already waiting, with the first reason', async () => {
    const limiter = await warmedUp({ requests: 1, perSeconds: 60 });
    const waiting = limiter.acquire();
    const rejection = expect(waiting).rejects.toThrow(QuotaExhaustedError);
    limiter.exhaust('quota exhausted (HTTP 429)');
    limiter.exhaust('a later reason');
    await vi.advanceTimersByTimeAsync(60_100);
    await rejection;
    expect(limiter.exhausted).toBe('quota exhausted (HTTP 429)');
    await expect(limiter.acquire()).rejects.toMatchObject({
      name: 'QuotaExhaustedError',
      code: 'rate_limited',
      message: 'quota exhausted (HTTP 429)',
    });
    expect(limiter.started).toBe(1);
  });

  it('a daily cap allows exactly `daily` requests in the run, then marks the quota spent', async () => {
    const { limiter, starts, failures, all } = acquireMany({ requests: 100, perSeconds: 1, daily: 5 }, 8);
    await vi.advanceTimersByTimeAsync(10_000);
    await all;
    expect(starts).toHaveLength(5);
    expect(failures).toHaveLength(3);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(QuotaExhaustedError);
      expect((failure as Error).message).toBe(
        'daily quota of 5 requests used up by this run; skipped for the rest of it',
      );
    }
    expect(limiter.started).toBe(5);
    expect(limiter.exhausted).toContain('daily quota of 5');
  });

  it('the daily cap is counted across windows, not per window', async () => {
    const { starts, failures, all } = acquireMany({ requests: 2, perSeconds: 1, daily: 5 }, 7);
    await vi.advanceTimersByTimeAsync(60_000);
    await all;
    expect(starts).toHaveLength(5);
    expect(failures).toHaveLength(2);
  });

  it('an aborted run stops a waiting acquire without taking a slot', async () => {
    const limiter = await warmedUp({ requests: 1, perSeconds: 60 });
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    const rejection = expect(waiting).rejects.toThrow('interrupted');
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort(new Error('interrupted'));
    await rejection;
    expect(limiter.started).toBe(1);
    await expect(limiter.acquire(controller.signal)).rejects.toThrow('interrupted');
  });

  it('until the service has answered once, one request at a time however wide the window', async () => {
    const limiter = createRateLimiter({ requests: 100, perSeconds: 1 }, clock);
    const order: string[] = [];
    await limiter.acquire();
    const second = limiter.acquire().then(() => order.push('second'));
    const third = limiter.acquire().then(() => order.push('third'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(limiter.started).toBe(1);
    // A 429 with Retry-After: the service pauses, and one waiting request becomes the next probe.
    limiter.pause(1);
    limiter.finished('rate-limited');
    await vi.advanceTimersByTimeAsync(999);
    expect(limiter.started).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(order).toEqual(['second']);
    expect(limiter.started).toBe(2);
    // The first answer lifts the gate for good.
    limiter.finished('answered');
    await Promise.all([second, third]);
    expect(order).toEqual(['second', 'third']);
    const rest = Array.from({ length: 5 }, () => limiter.acquire());
    await Promise.all(rest);
    expect(limiter.started).toBe(8);
  });

  it('a spent quota found by the first request fails the ones waiting for it, without a request', async () => {
    const limiter = createRateLimiter({ requests: 100, perSeconds: 1 }, clock);
    await limiter.acquire();
    const waiting = Array.from({ length: 3 }, () => limiter.acquire());
    const rejections = waiting.map((w) => expect(w).rejects.toThrow('quota exhausted'));
    limiter.exhaust('quota exhausted (HTTP 429)');
    limiter.finished('rate-limited');
    await Promise.all(rejections);
    expect(limiter.started).toBe(1);
  });

  it('an abort stops a request waiting for the first answer', async () => {
    const limiter = createRateLimiter({ requests: 100, perSeconds: 1 }, clock);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('interrupted'));
    await expect(waiting).rejects.toThrow('interrupted');
    expect(limiter.started).toBe(1);
  });
});

describe('follow-up requests of a lookup', () => {
  it('count against the window and the daily quota like any request', async () => {
    const limiter = await warmedUp({ requests: 2, perSeconds: 10, daily: 3 });
    await limiter.acquireFollowUp();
    const third = limiter.acquireFollowUp().then(clock);
    const predicted = limiter.nextSlotInMs();
    await vi.advanceTimersByTimeAsync(60_000);
    const at = await third;
    justAfter(at - 1_000_000, 10_000);
    expect(predicted).toBe(at - 1_000_000);
    expect(limiter.started).toBe(3);
    await expect(limiter.acquireFollowUp()).rejects.toBeInstanceOf(QuotaExhaustedError);
    await expect(limiter.acquire()).rejects.toThrow('daily quota of 3 requests');
  });

  it('go before new lookups waiting for the same slot', async () => {
    const limiter = await warmedUp({ requests: 1, perSeconds: 1 });
    const order: string[] = [];
    // A new lookup starts waiting first; then a lookup under way needs its second request.
    const fresh = limiter.acquire().then(() => order.push('new lookup'));
    await vi.advanceTimersByTimeAsync(100);
    const followUp = limiter.acquireFollowUp().then(() => order.push('follow-up'));
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all([fresh, followUp]);
    expect(order).toEqual(['follow-up', 'new lookup']);
    expect(limiter.started).toBe(3);
  });

  it('are not held by the one-at-a-time start: the lookup holding it must be able to finish', async () => {
    const limiter = createRateLimiter({ requests: 100, perSeconds: 1 }, clock);
    await limiter.acquire(); // the first lookup, not answered yet
    const waiting = limiter.acquire();
    await limiter.acquireFollowUp(); // its second request goes at once
    expect(limiter.started).toBe(2);
    limiter.finished('answered');
    await waiting;
    expect(limiter.started).toBe(3);
  });

  it('a spent quota stops them too', async () => {
    const limiter = await warmedUp({ requests: 100, perSeconds: 1 });
    limiter.exhaust('quota exhausted (HTTP 429)');
    await expect(limiter.acquireFollowUp()).rejects.toThrow('quota exhausted (HTTP 429)');
  });
});

describe('tryAcquire', () => {
  it('takes a free slot at once, and leaves acquire to wait or fail otherwise', async () => {
    const limiter = createRateLimiter({ requests: 2, perSeconds: 1 }, clock);
    expect(limiter.tryAcquire()).toBe(true);
    // Before the first answer, one request at a time.
    expect(limiter.tryAcquire()).toBe(false);
    limiter.finished('answered');
    expect(limiter.tryAcquire()).toBe(true);
    // The window is full.
    expect(limiter.tryAcquire()).toBe(false);
    expect(limiter.started).toBe(2);
    vi.advanceTimersByTime(1_100);
    expect(limiter.tryAcquire()).toBe(true);
    const aborted = new AbortController();
    aborted.abort();
    vi.advanceTimersByTime(1_100);
    expect(limiter.tryAcquire(aborted.signal)).toBe(false);
    limiter.exhaust('spent');
    expect(limiter.tryAcquire()).toBe(false);
    await expect(limiter.acquire()).rejects.toBeInstanceOf(QuotaExhaustedError);
  });

  it('counts against a daily quota like acquire', async () => {
    const limiter = await warmedUp({ requests: 100, perSeconds: 1, daily: 2 });
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(false);
    await expect(limiter.acquire()).rejects.toBeInstanceOf(QuotaExhaustedError);
  });
});
