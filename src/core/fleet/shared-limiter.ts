/**
 * A service's rate limit shared by every process on one Redis: each request start takes a slot from
 * one sliding window kept in Redis (a Lua script, so the check and the take are one atomic step, on
 * Redis's own clock), and counts towards the UTC day's total that `daily` caps. A 429's Retry-After
 * pauses every process. The process's own limiter still runs first — the one-at-a-time start, its
 * pause and its "quota spent" state — and alone once Redis is lost.
 */
import { QuotaExhaustedError, type RateLimiter, type RateLimitSettings } from '../../http/rate-limiter.js';
import { dayKey, pauseKey, type ServiceAt, utcDay, windowKey } from './keys.js';
import { luaScript, type RedisLink, RedisLostError } from './redis-link.js';

/**
 * More slack than a lone process's 50 ms: a slot taken by one runner may reach the vendor later
 * than one taken by another (network to Redis, then to the vendor, a GC pause between).
 */
export const SHARED_SLACK_MS = 250;

/** 0: the slot is taken; > 0: ms until one may free; -1: the day's cap is reached. */
const TAKE_SLOT = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = redis.call('PTTL', KEYS[3])
if paused > 0 then return paused end
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
local cap = tonumber(ARGV[3])
if cap > 0 and tonumber(redis.call('GET', KEYS[2]) or '0') >= cap then return -1 end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], 172800)
return 0`);

export type SharedRateLimiter = RateLimiter & Required<Pick<RateLimiter, 'sharedWaitMs'>>;

export function sharedLimiter(
  local: RateLimiter,
  link: RedisLink,
  at: ServiceAt,
  settings: RateLimitSettings,
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  now: () => number = Date.now,
): SharedRateLimiter {
  const member = process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex');
  let taken = 0;
  let waitingUntil = 0;
  let waitedMs = 0;
  const args = (day: string) => ({
    keys: [windowKey(at), dayKey(at, day), pauseKey(at)],
    args: [
      String(settings.requests),
      String(settings.perSeconds * 1000 + SHARED_SLACK_MS),
      String(settings.daily ?? 0),
      `${member}:${++taken}`,
    ],
  });

  /** The fleet's slot, after the local one; nothing more to wait for once Redis is lost. */
  const takeShared = async (signal?: AbortSignal) => {
    for (;;) {
      signal?.throwIfAborted();
      const { keys, args: argv } = args(utcDay(now()));
      let wait: number;
      try {
        wait = Number(await link.script(TAKE_SLOT, keys, argv));
      } catch (error) {
        if (error instanceof RedisLostError) return;
        throw error;
      } finally {
        waitingUntil = 0;
      }
      if (wait === 0) return;
      if (wait < 0) {
        const reason = `daily quota of ${settings.daily} requests used up by the fleet (shared in Redis); skipped for the rest of the run`;
        local.exhaust(reason);
        throw new QuotaExhaustedError(reason);
      }
      waitingUntil = now() + wait;
      waitedMs += wait;
      await sleep(wait, signal);
    }
  };

  return {
    async acquire(signal) {
      await local.acquire(signal);
      await takeShared(signal);
    },
    // Taking a shared slot is a round trip: never "at once" while Redis is up.
    tryAcquire: (signal) => (link.lost ? local.tryAcquire(signal) : false),
    async acquireFollowUp(signal) {
      await local.acquireFollowUp(signal);
      await takeShared(signal);
    },
    finished: (outcome) => local.finished(outcome),
    pause(seconds) {
      local.pause(seconds);
      link.run((c) => c.set(pauseKey(at), '1', { PX: Math.ceil(seconds * 1000) })).catch(() => {});
    },
    exhaust: (reason) => local.exhaust(reason),
    get exhausted() {
      return local.exhausted;
    },
    get started() {
      return local.started;
    },
    get waitedMs() {
      return local.waitedMs + waitedMs;
    },
    nextSlotInMs: () => Math.max(local.nextSlotInMs(), waitingUntil - now(), 0),
    sharedWaitMs: () => Math.max(waitingUntil - now(), 0),
  };
}

/** Requests each service started today (UTC) across the fleet, from the day counters. */
export async function usedTodayIn(
  link: RedisLink,
  services: readonly ServiceAt[],
  now: () => number = Date.now,
): Promise<Map<string, number>> {
  const day = utcDay(now());
  const keys = services.map((at) => dayKey(at, day));
  const values = keys.length === 0 ? [] : await link.run((c) => c.mGet(keys));
  return new Map(services.map((at, i) => [at.service, Number(values[i] ?? 0) || 0]));
}
