/**
 * The cache queues its writes and commits them together: what a run put is still what it reads
 * back before the commit, what close() or flush() commits is what another connection sees, and
 * the TTL and key rules are the same for a queued row as for a stored one.
 */
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

describe('a cache made before the rowid layout (a WITHOUT ROWID table)', () => {
  it('keeps its answers, takes new ones and replaces old ones, as a new cache does', () => {
    const dir = tempDir('ti-check-cache-layout-');
    const t = 1_000_000;
    const old = openSqlite(join(dir, 'cache-v1.sqlite'));
    old.exec(`CREATE TABLE answers (
      service TEXT NOT NULL, base_url TEXT NOT NULL, hash TEXT NOT NULL,
      status TEXT NOT NULL, body TEXT NOT NULL, fetched_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
      PRIMARY KEY (service, base_url, hash)) WITHOUT ROWID`);
    old
      .prepare('INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(
        'hashlookup',
        'https://x.test',
        `sha1:${hash(1).value}`,
        'found',
        JSON.stringify(answer('hashlookup', 'found')),
        t,
        t + 60_000,
      );
    old.close();

    const cache = openCache(dir, TTL, () => t);
    expect(cache.get(key(1))?.status).toBe('found');
    cache.put(key(1), answer('hashlookup', 'not_found'));
    cache.put(key(2), answer('hashlookup', 'found'));
    cache.close();
    const again = openCache(dir, TTL, () => t);
    expect(again.get(key(1))?.status).toBe('not_found');
    expect(again.get(key(2))?.status).toBe('found');
    again.close();
    const check = openSqlite(join(dir, 'cache-v1.sqlite'), { readonly: true });
    expect(check.prepare('SELECT count(*) FROM answers').pluck().get()).toBe(2);
    check.close();
  });
});
