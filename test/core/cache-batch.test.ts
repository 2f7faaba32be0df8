/**
 * The cache queues its writes and commits them together: what a run put is still what it reads
 * back before the commit, what close() or flush() commits is what another connection sees, and
 * the TTL and key rules are the same for a queued row as for a stored one.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCache } from '../../src/core/cache/index.js';
import { openSqlite } from '../../src/core/cache/open-sqlite.js';
import type { HashRef, ServiceResult } from '../../src/model/report.js';
import { tempDir } from '../helpers/temp-dir.js';

const TTL = { found: 60, notFound: 10 };

function hash(n: number): HashRef {
  return { type: 'sha1', value: n.toString(16).padStart(40, '0') };
}

function answer(service: string, status: 'found' | 'not_found' | 'error'): ServiceResult {
  return {
    service,
    status,
    verdict: status === 'found' ? 'malicious' : null,
    stats: null,
    entries: [],
    link: null,
    error: status === 'error' ? { code: 'unavailable', message: 'down' } : null,
    summary: null,
    hint: null,
    durationMs: 12,
  };
}

const key = (n: number, service = 'hashlookup') => ({ service, baseUrl: 'https://x.test', hash: hash(n) });

describe('the cache batches its writes', () => {
  it('reads back a queued answer before it is committed, with the same shape as a stored one', () => {
    const dir = tempDir('ti-check-cache-batch-');
    let t = 1_000_000;
    const cache = openCache(dir, TTL, () => t);
    cache.put(key(1), answer('hashlookup', 'found'));
    const queued = cache.get(key(1));
    cache.flush();
    const stored = cache.get(key(1));
    expect(queued).toEqual({
      ...answer('hashlookup', 'found'),
      cached: true,
      fetchedAt: new Date(t).toISOString(),
    });
    expect(stored).toEqual(queued);
    // Another service's key, or the same hash at another base URL: no answer.
    expect(cache.get(key(1, 'malwarebazaar'))).toBeUndefined();
    expect(cache.get({ ...key(1), baseUrl: 'https://y.test' })).toBeUndefined();
    t += 61_000;
    expect(cache.get(key(1))).toBeUndefined();
    cache.close();
  });

  it('keeps one queued row per service and base URL of a hash; a second put replaces only its own', () => {
    const dir = tempDir('ti-check-cache-batch-');
    const cache = openCache(dir, TTL);
    const atY = { ...key(3), baseUrl: 'https://y.test' };
    cache.put(key(3), answer('hashlookup', 'not_found'));
    cache.put(atY, answer('hashlookup', 'found'));
    cache.put(key(3, 'malwarebazaar'), answer('malwarebazaar', 'found'));
    cache.put(key(3), answer('hashlookup', 'found'));
    cache.put(key(4), answer('hashlookup', 'not_found'));
    expect(cache.get(key(3))?.status).toBe('found');
    expect(cache.get(atY)?.status).toBe('found');
    expect(cache.get(key(3, 'malwarebazaar'))?.service).toBe('malwarebazaar');
    expect(cache.get(key(4))?.status).toBe('not_found');
    // The same digits as another type of hash would be: not the same hash.
    expect(cache.get({ ...key(4), hash: { type: 'md5', value: hash(4).value } })).toBeUndefined();
    cache.flush();
    expect(cache.stats().entries).toBe(4);
    expect(cache.get(key(3))?.status).toBe('found');
    cache.close();
  });

  it('applies the TTL to a queued row as to a stored one, and never stores errors', () => {
    const dir = tempDir('ti-check-cache-batch-');
    let t = 1_000_000;
    const cache = openCache(dir, TTL, () => t);
    cache.put(key(1), answer('hashlookup', 'not_found'));
    cache.put(key(2), answer('hashlookup', 'error'));
    expect(cache.get(key(1))?.status).toBe('not_found');
    expect(cache.get(key(2))).toBeUndefined();
    t += 10_000;
    expect(cache.get(key(1))).toBeUndefined();
    cache.close();
  });

  it('commits every queued write at close, for the next run to read', () => {
    const dir = tempDir('ti-check-cache-batch-');
    const first = openCache(dir, TTL);
    for (let n = 0; n < 1500; n++) first.put(key(n), answer('hashlookup', n % 2 ? 'found' : 'not_found'));
    first.close();
    const next = openCache(dir, TTL);
    expect(next.stats().entries).toBe(1500);
    for (let n = 0; n < 1500; n++) expect(next.get(key(n))?.status).toBe(n % 2 ? 'found' : 'not_found');
    next.close();
  });

  it('flush() makes queued writes visible to another process at once; the last put of a key wins', () => {
    const dir = tempDir('ti-check-cache-batch-');
    const writer = openCache(dir, TTL);
    const reader = openCache(dir, TTL);
    writer.put(key(7), answer('hashlookup', 'not_found'));
    writer.put(key(7), answer('hashlookup', 'found'));
    expect(reader.get(key(7))).toBeUndefined();
    writer.flush();
    // The reader's earlier read holds a snapshot for a few milliseconds at most; stats() starts afresh.
    expect(reader.stats().entries).toBe(1);
    expect(reader.get(key(7))?.status).toBe('found');
    writer.close();
    reader.close();
  });
});

const EARLIER_LAYOUTS = {
  'the WITHOUT ROWID table': 'WITHOUT ROWID',
  'the rowid table with its key in an index': '',
};

/** A cache file as ti-check kept it before the integer-keyed layout, with two answers in it. */
function writeEarlierCache(dir: string, tableOptions: string, t: number): void {
  const old = openSqlite(join(dir, 'cache-v1.sqlite'));
  old.exec('PRAGMA journal_mode = WAL');
  old.exec(`CREATE TABLE answers (
    service TEXT NOT NULL, base_url TEXT NOT NULL, hash TEXT NOT NULL,
    status TEXT NOT NULL, body TEXT NOT NULL, fetched_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
    PRIMARY KEY (service, base_url, hash)) ${tableOptions}`);
  const insert = old.prepare('INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)');
  const row = (n: number, status: 'found' | 'not_found', expiresAt: number) =>
    insert.run(
      'hashlookup',
      'https://x.test',
      `sha1:${hash(n).value}`,
      status,
      JSON.stringify(answer('hashlookup', status)),
      t,
      expiresAt,
    );
  row(1, 'found', t + 60_000);
  row(2, 'found', t + 60_000);
  row(3, 'found', t - 1); // expired: not carried over
  old.close();
}

describe('a cache file of the earlier layout (cache-v1.sqlite)', () => {
  for (const [layout, tableOptions] of Object.entries(EARLIER_LAYOUTS)) {
    it(`is carried into the new file at its first open, then removed (${layout})`, () => {
      const dir = tempDir('ti-check-cache-layout-');
      const t = 1_000_000;
      writeEarlierCache(dir, tableOptions, t);

      const cache = openCache(dir, TTL, () => t);
      expect(cache.get(key(1))?.status).toBe('found');
      expect(cache.get(key(2))?.status).toBe('found');
      expect(cache.get(key(3))).toBeUndefined();
      expect(cache.stats().entries).toBe(2);
      expect(readdirSync(dir).filter((name) => name.startsWith('cache-v1'))).toEqual([]);
      cache.put(key(1), answer('hashlookup', 'not_found'));
      cache.close();

      const again = openCache(dir, TTL, () => t);
      expect(again.get(key(1))?.status).toBe('not_found');
      expect(again.get(key(2))?.status).toBe('found');
      again.close();
    });
  }

  it('never replaces an answer the new file already has', () => {
    const dir = tempDir('ti-check-cache-layout-');
    const t = 1_000_000;
    const fresh = openCache(dir, TTL, () => t);
    fresh.put(key(1), answer('hashlookup', 'not_found'));
    fresh.close();
    // An older ti-check wrote its own file meanwhile: the new file's answer stays.
    writeEarlierCache(dir, '', t);

    const cache = openCache(dir, TTL, () => t);
    expect(cache.get(key(1))?.status).toBe('not_found');
    expect(cache.get(key(2))?.status).toBe('found');
    cache.close();
  });

  it('is removed when it is not a database, and the new cache works', () => {
    const dir = tempDir('ti-check-cache-layout-');
    writeFileSync(join(dir, 'cache-v1.sqlite'), 'not a database, a page of notes');

    const cache = openCache(dir, TTL, () => 1_000_000);
    cache.put(key(1), answer('hashlookup', 'found'));
    expect(cache.get(key(1))?.status).toBe('found');
    cache.close();
    expect(readdirSync(dir).filter((name) => name.startsWith('cache-v1'))).toEqual([]);
  });
});

describe('two hashes that share an index key', () => {
  // 52 bits of the hash make the key (its first 7 and last 6 hex digits): these two differ only
  // in between.
  const twin = (middle: string): HashRef => ({ type: 'sha1', value: `abcdef1${middle}234567` });
  const a = { service: 'hashlookup', baseUrl: 'https://x.test', hash: twin('0'.repeat(27)) };
  const b = { service: 'hashlookup', baseUrl: 'https://x.test', hash: twin('f'.repeat(27)) };

  it('never answer for each other: the later one takes the place, the earlier is a miss', () => {
    const dir = tempDir('ti-check-cache-twins-');
    const cache = openCache(dir, TTL, () => 1_000_000);
    cache.put(a, answer('hashlookup', 'found'));
    cache.flush();
    expect(cache.get(b)).toBeUndefined();
    expect(cache.get(a)?.status).toBe('found');
    cache.put(b, answer('hashlookup', 'not_found'));
    cache.flush();
    expect(cache.get(b)?.status).toBe('not_found');
    expect(cache.get(a)).toBeUndefined();
    cache.close();
  });

  it('of different services are both kept', () => {
    const dir = tempDir('ti-check-cache-twins-');
    const cache = openCache(dir, TTL, () => 1_000_000);
    cache.put(a, answer('hashlookup', 'found'));
    cache.put({ ...a, service: 'malwarebazaar' }, answer('malwarebazaar', 'not_found'));
    cache.close();
    const again = openCache(dir, TTL, () => 1_000_000);
    expect(again.get(a)?.status).toBe('found');
    expect(again.get({ ...a, service: 'malwarebazaar' })?.status).toBe('not_found');
    expect(again.get({ ...a, baseUrl: 'https://y.test' })).toBeUndefined();
    expect(again.stats().byService).toEqual({
      hashlookup: { found: 1, notFound: 0 },
      malwarebazaar: { found: 0, notFound: 1 },
    });
    again.close();
  });
});

describe('usedToday', () => {
  it('counts the answers stored today (UTC) for each service at its base URL, and 0 for one it never stored', () => {
    const dir = tempDir('ti-check-cache-today-');
    const midnight = Date.parse('2026-12-04T00:00:00Z');
    let t = midnight - 1000; // yesterday
    const cache = openCache(dir, TTL, () => t);
    cache.put(key(1), answer('hashlookup', 'found'));
    t = midnight + 5000;
    cache.put(key(2), answer('hashlookup', 'found'));
    cache.put(key(3), answer('hashlookup', 'not_found'));
    cache.put({ ...key(4), baseUrl: 'https://y.test' }, answer('hashlookup', 'found'));
    const used = cache.usedToday([
      { service: 'hashlookup', baseUrl: 'https://x.test' },
      { service: 'malwarebazaar', baseUrl: 'https://x.test' },
    ]);
    expect(Object.fromEntries(used)).toEqual({ hashlookup: 2, malwarebazaar: 0 });
    cache.close();
  });
});
