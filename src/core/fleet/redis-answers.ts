/**
 * Answers in Redis: the same TTLs as the embedded cache (found / not found; errors never), each value
 * read back through the report model's schema (decodeAnswer), and short leases so that two processes
 * wanting the same (service, hash) at the same moment make one vendor request between them.
 * Every call throws RedisLostError once the link is lost; the fleet then falls back (index.ts).
 */
import type { ServiceResult } from '../../model/report.js';
import type { CacheCleanup, CacheKey, CacheStats, CacheTtl, Claim } from '../cache/store.js';
import { decodeAnswer, encodeAnswer } from '../cache/store.js';
import { ANSWER_PATTERN, answerKey, leaseKey, serviceOfAnswerKey } from './keys.js';
import { luaScript, type RedisLink } from './redis-link.js';

/** A lease lives this long unless its holder renews it: a holder that died frees the hash soon. */
export const LEASE_MS = 15_000;
const RENEW_EVERY_MS = 5_000;
/** A process waits for another's answer at most this long, then asks the vendor itself. */
export const LEASE_WAIT_BOUND_MS = 120_000;
const POLL_FIRST_MS = 25;
const POLL_MAX_MS = 400;
const SCAN_COUNT = 500;
/** A stored answer is a few KiB; anything far larger is not one of ours, and is not parsed. */
const MAX_VALUE_CHARS = 4 * 1024 * 1024;

/** The stored answer, or the lease, or neither: one round trip. */
const CLAIM = luaScript(`
local v = redis.call('GET', KEYS[1])
if v then return {1, v} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2} end
return {0}`);
/** Renews (ARGV[2] ms) or, with ARGV[2] = 0, releases a lease, only if it is still ours. */
const KEEP_OR_RELEASE = luaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then return redis.call('DEL', KEYS[1]) end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])`);

export interface RedisAnswers {
  get(key: CacheKey): Promise<ServiceResult | undefined>;
  put(key: CacheKey, result: ServiceResult): Promise<void>;
  claim(key: CacheKey, signal?: AbortSignal): Promise<Claim>;
  stats(): Promise<CacheStats>;
  clear(): Promise<CacheCleanup>;
  prune(): Promise<CacheCleanup>;
}

/** `fetchedAt` (ms) and the answer's JSON, as one string. */
const encode = (fetchedAt: number, body: string) => `${fetchedAt}\n${body}`;
function decode(service: string, value: string): ServiceResult | undefined {
  if (value.length > MAX_VALUE_CHARS) return undefined;
  const cut = value.indexOf('\n');
  const fetchedAt = Number(value.slice(0, cut));
  if (cut < 0 || !Number.isFinite(fetchedAt)) return undefined;
  return decodeAnswer(service, value.slice(cut + 1), fetchedAt);
}

export function redisAnswers(
  link: RedisLink,
  ttl: CacheTtl,
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  now: () => number = Date.now,
): RedisAnswers {
  const owner = process.getBuiltinModule('node:crypto').randomBytes(8).toString('hex');
  let leases = 0;

  const keep = (lease: string, token: string, ms: number) =>
    link.script(KEEP_OR_RELEASE, [lease], [token, String(ms)]);

  /** The lease is ours: renewed while the lookup runs, released (after the answer's SET) at the end. */
  const hold = (lease: string, token: string): Claim => {
    const renew = setInterval(() => keep(lease, token, LEASE_MS).catch(() => {}), RENEW_EVERY_MS);
    renew.unref();
    return {
      release() {
        clearInterval(renew);
        // Sent after the answer's SET on the same connection, so a waiter never finds neither.
        keep(lease, token, 0).catch(() => {});
      },
    };
  };

  return {
    async get(key) {
      const value = await link.run((c) => c.get(answerKey(key, key.hash)));
      return value === null ? undefined : decode(key.service, value);
    },

    async put(key, result) {
      const stored = encodeAnswer(result, ttl, now);
      if (!stored) return;
      await link.run((c) =>
        c.set(answerKey(key, key.hash), encode(stored.fetchedAt, stored.body), { EX: stored.ttlSeconds }),
      );
    },

    async claim(key, signal) {
      const answer = answerKey(key, key.hash);
      const lease = leaseKey(key, key.hash);
      const token = `${owner}:${++leases}`;
      const started = now();
      for (let pause = POLL_FIRST_MS; ; pause = Math.min(pause * 2, POLL_MAX_MS)) {
        const reply = (await link.script(CLAIM, [answer, lease], [token, String(LEASE_MS)])) as [
          number,
          string?,
        ];
        if (reply[0] === 1 && typeof reply[1] === 'string') {
          const found = decode(key.service, reply[1]);
          // A value that is not an answer is a miss: asked again, and overwritten.
          if (found) return { answer: found };
          return { release: () => {} };
        }
        if (reply[0] === 2) return hold(lease, token);
        // Another process is asking: wait for its answer, within a bound. Interrupted (Ctrl-C), the
        // lookup goes on to its own cancellation, as every other lookup of the run does.
        if (now() - started >= LEASE_WAIT_BOUND_MS || signal?.aborted) return { release: () => {} };
        await sleep(pause, signal).catch(() => {});
      }
    },

    async stats() {
      const byService: CacheStats['byService'] = {};
      let entries = 0;
      let bytes = 0;
      await eachAnswer(link, (key, value) => {
        entries++;
        bytes += key.length + value.length;
        // Only what reads back as an answer is counted as one (`prune` removes the rest).
        const service = serviceOfAnswerKey(key);
        const status = decode(service, value)?.status;
        if (status !== 'found' && status !== 'not_found') return false;
        const counts = byService[service] ?? { found: 0, notFound: 0 };
        byService[service] = counts;
        if (status === 'found') counts.found++;
        else counts.notFound++;
        return false;
      });
      return { file: link.shownUrl, bytes, entries, expired: 0, byService, damaged: null };
    },

    async clear() {
      return { removed: await eachAnswer(link, () => true), damaged: null };
    },

    /** Redis expires answers itself: pruning removes the values that are not answers (decodeAnswer). */
    async prune() {
      const removed = await eachAnswer(
        link,
        (key, value) => decode(serviceOfAnswerKey(key), value) === undefined,
      );
      return { removed, damaged: null };
    },
  };
}

/** Visits every stored answer (SCAN, never KEYS); removes those `remove` says. Returns how many. */
async function eachAnswer(link: RedisLink, remove: (key: string, value: string) => boolean): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const page = await link.run((c) => c.scan(cursor, { MATCH: ANSWER_PATTERN, COUNT: SCAN_COUNT }));
    cursor = String(page.cursor);
    if (page.keys.length === 0) continue;
    const values = await link.run((c) => c.mGet(page.keys));
    const doomed = page.keys.filter((key, i) => {
      const value = values[i];
      return typeof value === 'string' && remove(key, value);
    });
    if (doomed.length > 0) removed += await link.run((c) => c.unlink(doomed));
  } while (cursor !== '0');
  return removed;
}
