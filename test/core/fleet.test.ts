/**
 * The fleet's parts against a real Redis (Debian's redis-server on 127.0.0.1): answers with TTLs and
 * schema checks, leases, the shared rate window and daily cap, and what happens when Redis goes away.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerCache, CacheKey, LocalAnswerCache } from '../../src/core/cache/index.js';
import { openCache } from '../../src/core/cache/index.js';
import { type Fleet, openFleet } from '../../src/core/fleet/index.js';
import { createRateLimiter, QuotaExhaustedError } from '../../src/http/rate-limiter.js';
import type { ServiceResult } from '../../src/model/report.js';
import { type RedisServer, redisForTests, SKIP_REDIS, startRedisServer } from '../helpers/redis-server.js';
import { tempDir } from '../helpers/temp-dir.js';

const SHA256 = 'a'.repeat(64);
const KEY: CacheKey = {
  service: 'virustotal',
  baseUrl: 'https://www.virustotal.com/api/v3',
  hash: { type: 'sha256', value: SHA256 },
};
const FOUND: ServiceResult = {
  service: 'virustotal',
  status: 'found',
  verdict: 'malicious',
  stats: { malicious: 5, suspicious: 0, clean: 0, undetected: 60, total: 65 },
  entries: [],
  link: 'https://www.virustotal.com/gui/file/aaaa',
  error: null,
  summary: '5/65 engines',
  hint: null,
  durationMs: 120,
  cached: false,
  fetchedAt: '2026-12-04T10:00:00.000Z',
};
const TTL = { found: 86_400, notFound: 3_600 };

describe.skipIf(SKIP_REDIS)('fleet on a real Redis', () => {
  let redis: RedisServer;
  const open: Fleet[] = [];
  const warnings: string[] = [];
  const fleet = async (
    options: { required?: boolean; local?: () => LocalAnswerCache | undefined; url?: string } = {},
  ) => {
    const opened = await openFleet({
      url: options.url ?? redis.url(),
      required: options.required ?? false,
      ttl: TTL,
      openLocal: options.local ?? (() => undefined),
      warn: (message) => warnings.push(message),
    });
    if (opened) open.push(opened);
    return opened;
  };

  beforeAll(async () => {
    redis = await redisForTests(1);
  });
  afterEach(async () => {
    for (const f of open.splice(0)) await f.close();
    warnings.length = 0;
    redis.cli('FLUSHDB');
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('stores an answer for its TTL and reads it back as cached; another service or a broken value is a miss', async () => {
    const a = (await fleet()) as Fleet;
    const b = (await fleet()) as Fleet;
    a.cache.put(KEY, FOUND);
    await a.close();
    expect(await b.cache.get(KEY)).toEqual({ ...FOUND, cached: true });
    const [key] = redis.cli('--scan', '--pattern', 'ti-check:v1:answer:*').split('\n');
    expect(Number(redis.cli('TTL', key as string))).toBeGreaterThan(86_000);
    expect(key).not.toContain('virustotal.com'); // the base URL is a tag, never spelt out

    redis.cli('SET', key as string, `1\n${JSON.stringify({ ...FOUND, service: 'hashlookup' })}`);
    expect(await b.cache.get(KEY)).toBeUndefined();
    redis.cli('SET', key as string, 'not json');
    expect(await b.cache.get(KEY)).toBeUndefined();
    expect((await b.cache.prune()).removed).toBe(1);
  });

  it('never stores an error, and not-found answers for the shorter TTL', async () => {
    const f = (await fleet()) as Fleet;
    const error: ServiceResult = {
      ...FOUND,
      status: 'error',
      verdict: null,
      error: { code: 'network', message: 'x' },
    };
    f.cache.put(KEY, error);
    f.cache.put(
      { ...KEY, hash: { type: 'sha256', value: 'b'.repeat(64) } },
      { ...FOUND, status: 'not_found', verdict: null },
    );
    await f.close();
    const keys = redis.cli('--scan', '--pattern', 'ti-check:v1:answer:*').split('\n');
    expect(keys).toHaveLength(1);
    const ttl = Number(redis.cli('TTL', keys[0] as string));
    expect(ttl).toBeGreaterThan(3_500);
    expect(ttl).toBeLessThanOrEqual(3_600);
  });

  it("one lease per key: the second process waits for the first one's answer instead of asking", async () => {
    const a = (await fleet()) as Fleet;
    const b = (await fleet()) as Fleet;
    const first = await (a.cache.claim as NonNullable<AnswerCache['claim']>)(KEY);
    expect(first.answer).toBeUndefined();
    const second = (b.cache.claim as NonNullable<AnswerCache['claim']>)(KEY);
    await new Promise((resolve) => setTimeout(resolve, 100));
    a.cache.put(KEY, FOUND);
    first.release?.();
    expect((await second).answer).toEqual({ ...FOUND, cached: true });
  });

  it('a lease released without an answer (the lookup failed) lets the waiting process ask itself', async () => {
    const a = (await fleet()) as Fleet;
    const b = (await fleet()) as Fleet;
    const first = await (a.cache.claim as NonNullable<AnswerCache['claim']>)(KEY);
    const second = (b.cache.claim as NonNullable<AnswerCache['claim']>)(KEY);
    first.release?.();
    const claim = await second;
    expect(claim.answer).toBeUndefined();
    expect(claim.release).toBeTypeOf('function');
    claim.release?.();
  });

  it("a wait for another process's lease ends when the run is interrupted, without an answer", async () => {
    const a = (await fleet()) as Fleet;
    const b = (await fleet()) as Fleet;
    const held = await (a.cache.claim as NonNullable<AnswerCache['claim']>)(KEY);
    const interrupt = new AbortController();
    const waiting = (b.cache.claim as NonNullable<AnswerCache['claim']>)(KEY, interrupt.signal);
    interrupt.abort(new Error('Ctrl-C'));
    const claim = await waiting;
    expect(claim.answer).toBeUndefined();
    claim.release?.();
    held.release?.();
  });

  it('two processes share one window: 3 requests a second between them, whoever asks', async () => {
    const settings = { requests: 3, perSeconds: 1 };
    const at = { service: 'hashlookup', baseUrl: 'https://hashlookup.circl.lu' };
    const a = (await fleet()) as Fleet;
    const b = (await fleet()) as Fleet;
    const limiters = [
      a.share(at, settings, createRateLimiter({ requests: 100, perSeconds: 1 })),
      b.share(at, settings, createRateLimiter({ requests: 100, perSeconds: 1 })),
    ];
    const started = performance.now();
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const limiter = limiters[i % 2] as (typeof limiters)[number];
        await limiter.acquire();
        times.push(performance.now() - started);
        limiter.finished('answered');
      }),
    );
    times.sort((x, y) => x - y);
    // The first three at once, the next three a window (1 s and the shared slack) later.
    expect(times[2]).toBeLessThan(900);
    expect(times[3]).toBeGreaterThanOrEqual(1_000);
    expect(Number(redis.cli('GET', redis.cli('--scan', '--pattern', 'ti-check:v1:day:*')))).toBe(6);
  });

  it('the daily cap counts every process: the third request of a 2-a-day quota is refused', async () => {
    const settings = { requests: 10, perSeconds: 1, daily: 2 };
    const at = { service: 'hashlookup', baseUrl: 'https://hashlookup.circl.lu' };
    const one = ((await fleet()) as Fleet).share(at, settings, createRateLimiter(settings));
    const two = ((await fleet()) as Fleet).share(at, settings, createRateLimiter(settings));
    await one.acquire();
    one.finished('answered');
    await two.acquire();
    two.finished('answered');
    await expect(two.acquire()).rejects.toThrow(QuotaExhaustedError);
    await expect(two.acquire()).rejects.toThrow(/used up by the fleet/);
    const used = await ((await fleet()) as Fleet).cache.usedToday([at]);
    expect(used.get('hashlookup')).toBe(2);
  });

  it('stats, clear and prune work on Redis as on SQLite', async () => {
    const f = (await fleet()) as Fleet;
    f.cache.put(KEY, FOUND);
    f.cache.put(
      { ...KEY, hash: { type: 'sha256', value: 'c'.repeat(64) } },
      { ...FOUND, status: 'not_found', verdict: null },
    );
    f.cache.put({ ...KEY, service: 'hashlookup' }, { ...FOUND, service: 'hashlookup' });
    const g = (await fleet()) as Fleet;
    await f.close();
    const stats = await g.cache.stats();
    expect(stats).toMatchObject({ entries: 3, expired: 0, damaged: null, file: redis.url() });
    expect(stats.byService).toEqual({
      virustotal: { found: 1, notFound: 1 },
      hashlookup: { found: 1, notFound: 0 },
    });
    expect(await g.cache.prune()).toEqual({ removed: 0, damaged: null });
    expect(await g.cache.clear()).toEqual({ removed: 3, damaged: null });
    expect((await g.cache.stats()).entries).toBe(0);
  });

  it('a password in the URL is never shown', async () => {
    const opened = await fleet({ url: `redis://someone:hunter2-secret@127.0.0.1:${redis.port}/1` });
    // No ACL user "someone": the server refuses, and the warning names the URL without its password.
    expect(opened).toBeUndefined();
    expect(warnings.join('\n')).toContain('redis://someone:***@127.0.0.1');
    expect(warnings.join('\n')).not.toContain('hunter2');
  });
});

describe.skipIf(SKIP_REDIS)('a Redis that goes away', () => {
  it('mid-run: one warning, then the local cache answers and the limits are local', async () => {
    const redis = await startRedisServer();
    const warnings: string[] = [];
    const local = openCache(tempDir('ti-check-fleet-local-'), TTL);
    local.put(KEY, FOUND);
    const fleet = (await openFleet({
      url: redis.url(),
      required: false,
      ttl: TTL,
      openLocal: () => local,
      warn: (message) => warnings.push(message),
    })) as Fleet;
    const limiter = fleet.share(
      { service: 'hashlookup', baseUrl: 'x' },
      { requests: 1, perSeconds: 60 },
      createRateLimiter({ requests: 5, perSeconds: 1 }),
    );
    await redis.stop();
    expect(await fleet.cache.get(KEY)).toMatchObject({ status: 'found', cached: true });
    expect(await fleet.cache.get(KEY)).toMatchObject({ status: 'found' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:\d+\/0 .*going on with the local cache/);
    // The shared window (1 a minute) is gone with Redis: the local one (5 a second) lets two through.
    await limiter.acquire();
    limiter.finished('answered');
    expect(limiter.tryAcquire()).toBe(true);
    await fleet.close();
  });

  it('at the start with --cache-required: an error, not a warning', async () => {
    const redis = await startRedisServer();
    const url = redis.url();
    await redis.stop();
    await expect(
      openFleet({ url, required: true, ttl: TTL, openLocal: () => undefined, warn: () => {} }),
    ).rejects.toThrow(/^Redis at redis:\/\/127\.0\.0\.1:\d+\/0 is unreachable.*\(--cache-required\)$/);
  });

  it('mid-run with --cache-required: fatal, and the listener is told', async () => {
    const redis = await startRedisServer();
    const fleet = (await openFleet({
      url: redis.url(),
      required: true,
      ttl: TTL,
      openLocal: () => undefined,
      warn: () => {},
    })) as Fleet;
    const told: Error[] = [];
    fleet.onFatal((error) => told.push(error));
    await redis.stop();
    await fleet.cache.get(KEY);
    expect(fleet.fatal?.message).toMatch(/the run stops, as --cache-required asks/);
    expect(told).toEqual([fleet.fatal]);
    await fleet.close();
  });
});

describe('the shared cache URL as shown', () => {
  it('masks the password, or a lone user part, and drops the query', async () => {
    const { redactRedisUrl } = await import('../../src/core/fleet/index.js');
    expect(redactRedisUrl('redis://ci:p%40ss@redis.internal:6380/2?x=1')).toBe(
      'redis://ci:***@redis.internal:6380/2',
    );
    expect(redactRedisUrl('rediss://only-a-token@redis.internal/0')).toBe('rediss://***@redis.internal/0');
    expect(redactRedisUrl('redis://127.0.0.1:6379/0')).toBe('redis://127.0.0.1:6379/0');
    expect(redactRedisUrl('not a url hunter2')).toBe('(the cache URL)');
  });
});

describe.skipIf(SKIP_REDIS)('the library API on a fleet', () => {
  it("check() with cache.url: a second machine gets the first one's answer from Redis, not the vendor", async () => {
    const { check } = await import('../../src/api/index.js');
    const { startFakeVendor } = await import('../helpers/fake-vendor.js');
    const redis = await startRedisServer();
    const vendor = await startFakeVendor([
      { path: /^\/lookup\/sha1\//, status: 404, body: '{"message":"Non existing SHA-1"}' },
    ]);
    try {
      const machine = () => ({
        config: {
          cache: { url: '${TEAM_REDIS_URL}' },
          services: { hashlookup: { rateLimit: { requests: 100, perSeconds: 1 } } },
        },
        env: {
          TEAM_REDIS_URL: redis.url(),
          TI_CHECK_HASHLOOKUP_URL: vendor.url,
          XDG_CACHE_HOME: tempDir('ti-check-fleet-api-'),
          XDG_CONFIG_HOME: tempDir('ti-check-fleet-api-'),
        },
        plugins: false,
        hashes: ['a'.repeat(40)],
        services: ['hashlookup'],
      });
      const first = await check(machine());
      const second = await check(machine());
      expect(first.report.results[0]?.services[0]).toMatchObject({ status: 'not_found', cached: false });
      expect(second.report.results[0]?.services[0]).toMatchObject({ status: 'not_found', cached: true });
      expect(vendor.count()).toBe(1);
    } finally {
      await vendor.close();
      await redis.stop();
    }
  });
});
