/**
 * A fleet: every ti-check process pointed at one Redis (`--cache redis://…`) shares its answers, its
 * vendors' rate windows and daily counts, and asks each (service, hash) once between them. Redis
 * unreachable at the start or lost mid-run costs one warning: the run goes on with the embedded
 * cache and local limits, and does not try Redis again. With `required` (`--cache-required`) it
 * stops instead: an error at the start, and `fatal` mid-run.
 */
import { ConfigError } from '../../errors.js';
import type { RateLimiter, RateLimitSettings } from '../../http/rate-limiter.js';
import { sleep } from '../../http/sleep.js';
import type { ServiceResult } from '../../model/report.js';
import type { AnswerCache, CacheKey, CacheTtl, Claim } from '../cache/store.js';
import type { ServiceAt } from './keys.js';
import type { RedisAnswers } from './redis-answers.js';
import { connectRedis, type RedisLink, RedisLostError } from './redis-link.js';
import { redactRedisUrl, redisUrlSecrets } from './redis-url.js';
import { type SharedRateLimiter, sharedLimiter, usedTodayIn } from './shared-limiter.js';

export { parseRedisUrl, redactRedisUrl } from './redis-url.js';
export type { SharedRateLimiter } from './shared-limiter.js';

export interface FleetOptions {
  url: string;
  required: boolean;
  /** Who requires it, for the error (default `--cache-required`; '' names nobody). */
  requiredBy?: string;
  ttl: CacheTtl;
  /** The embedded cache, opened when Redis is out of reach (undefined: none). */
  openLocal(): AnswerCache | undefined;
  warn(message: string): void;
}

export interface Fleet {
  /** The URL, password masked. */
  readonly shownUrl: string;
  /** Redis while it answers, then the embedded cache. */
  readonly cache: AnswerCache;
  share(at: ServiceAt, settings: RateLimitSettings, local: RateLimiter): SharedRateLimiter;
  /** Set when Redis was lost mid-run and the run may not go on without it (`--cache-required`). */
  readonly fatal: Error | undefined;
  /** Told once, when `fatal` is set. */
  onFatal(listener: (error: Error) => void): void;
  close(): Promise<void>;
}

/** Connects; undefined (after one warning) when Redis is out of reach and not required. */
export async function openFleet(options: FleetOptions): Promise<Fleet | undefined> {
  const secrets = redisUrlSecrets(options.url);
  const mask = (text: string) => secrets.reduce((t, s) => t.split(s).join('***'), text);
  let fatal: Error | undefined;
  let fatalListener: ((error: Error) => void) | undefined;
  let local: AnswerCache | undefined;
  let localOpened = false;
  const localCache = () => {
    if (!localOpened) {
      localOpened = true;
      local = options.openLocal();
    }
    return local;
  };
  const onLost = (error: Error) => {
    if (options.required) {
      fatal = new ConfigError(
        `${error.message}; the run stops, as --cache-required asks (without it, it would go on with the local cache)`,
      );
      fatalListener?.(fatal);
      return;
    }
    options.warn(
      `${error.message}: going on with the local cache and this process's own rate limits (Redis is not tried again in this run)`,
    );
  };
  let link: RedisLink;
  try {
    link = await connectRedis(options.url, onLost, mask);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (options.required) {
      const by = options.requiredBy ?? '--cache-required';
      throw new ConfigError(by ? `${message} (${by})` : message, { cause: error });
    }
    options.warn(`${message}: running with the local cache and this process's own rate limits`);
    return undefined;
  }
  // Loaded here: a run without Redis needs neither it nor the report schemas it reads answers with.
  const { redisAnswers } = await import('./redis-answers.js');
  const answers = redisAnswers(link, options.ttl, sleep);
  const cache = fallingBack(answers, link, localCache, () => local);
  return {
    shownUrl: redactRedisUrl(options.url),
    cache,
    share: (at, settings, limiter) => sharedLimiter(limiter, link, at, settings, sleep),
    get fatal() {
      return fatal;
    },
    onFatal(listener) {
      fatalListener = listener;
      if (fatal) listener(fatal);
    },
    close: async () => cache.close(),
  };
}

/** The answer cache of a fleet: Redis while the link is up, the embedded cache from its loss on. */
function fallingBack(
  answers: RedisAnswers,
  link: RedisLink,
  local: () => AnswerCache | undefined,
  openedLocal: () => AnswerCache | undefined,
): AnswerCache {
  const onLoss =
    <T>(fallback: () => T) =>
    (error: unknown): T => {
      if (error instanceof RedisLostError) return fallback();
      throw error;
    };
  const whileUp = <T>(remote: () => Promise<T>, fallback: () => T | Promise<T>): T | Promise<T> =>
    link.lost ? fallback() : remote().catch(onLoss(fallback));
  return {
    get file() {
      return link.shownUrl;
    },
    get: (key: CacheKey) =>
      whileUp(
        () => answers.get(key),
        () => local()?.get(key),
      ),
    put(key: CacheKey, result: ServiceResult) {
      // Not awaited: a write never holds a lookup back. One lost with the link lands in the local cache.
      void whileUp(
        () => answers.put(key, result),
        () => local()?.put(key, result),
      );
    },
    flush: () => (link.lost ? local()?.flush() : undefined),
    usedToday: (services) =>
      whileUp(
        () => usedTodayIn(link, services),
        () => local()?.usedToday(services) ?? new Map(),
      ),
    stats: () => answers.stats(),
    clear: () => answers.clear(),
    prune: () => answers.prune(),
    async close() {
      await link.close();
      // Only if the run fell back to it: closing opens nothing.
      await openedLocal()?.close();
    },
    claim: (key: CacheKey, signal?: AbortSignal): Promise<Claim> =>
      Promise.resolve(
        whileUp(
          () => answers.claim(key, signal),
          async (): Promise<Claim> => {
            const answer = await local()?.get(key);
            return answer ? { answer } : { release: () => {} };
          },
        ),
      ),
  };
}
