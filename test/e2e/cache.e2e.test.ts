/**
 * The answer cache under stress, end to end: two processes sharing one cache, a process killed with
 * SIGKILL mid-run, broken rows or a broken file left behind, and long runs that must end cleanly.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/core/cache/open-sqlite.js';
import type { TargetResult } from '../../src/model/report.js';
import { type FakeVendor, type Route, startFakeVendor } from '../helpers/fake-vendor.js';
import { assertBuilt, isolatedEnv, runBin, startBin, waitFor } from '../helpers/run-bin.js';
import { tempDir } from '../helpers/temp-dir.js';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const ARGS = ['--hash-file', '-', '--services', 'hashlookup', '--ndjson'];

let vendor: FakeVendor | undefined;
afterEach(async () => {
  await vendor?.close();
  vendor = undefined;
});

function ndjson(stdout: string): TargetResult[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TargetResult);
}

function notFound(delayMs = 0): Route {
  return { path: /^\/lookup\/sha1\//, status: 404, delayMs, body: '{"message":"Non existing SHA-1"}' };
}

/** One cache home and one config (hashlookup's 1 request/s lifted: the fake has no limit). */
function setup(url: string) {
  const cwd = tempDir('ti-check-cache-');
  writeFileSync(
    join(cwd, '.ti-checkrc.json'),
    JSON.stringify({ services: { hashlookup: { rateLimit: { requests: 1000, perSeconds: 1 } } } }),
  );
  const env = isolatedEnv({ TI_CHECK_HASHLOOKUP_URL: url });
  const file = join(env.XDG_CACHE_HOME as string, 'ti-check', 'cache-v2.sqlite');
  return { cwd, env, file };
}

function hashList(n: number, seed: string): { hashes: string[]; stdin: string } {
  const hashes = Array.from({ length: n }, (_, i) => sha1(`${seed} ${i}`));
  return { hashes, stdin: `${hashes.map((h, i) => `${h} ${seed}-${i}`).join('\n')}\n` };
}

/** A sound header, then every page after the first scribbled over (disk trouble, a bad copy). */
function damageInside(file: string): void {
  const bytes = readFileSync(file);
  const pageSize = bytes.readUInt16BE(16);
  bytes.fill(0x41, pageSize);
  writeFileSync(file, bytes);
}

describe('the cache (built binary)', () => {
  beforeAll(() => assertBuilt());

  it('two processes started together over the same 200 hashes and cache both succeed', async () => {
    vendor = await startFakeVendor([notFound()], { countOnly: true });
    const { cwd, env, file } = setup(vendor.url);
    const { hashes, stdin } = hashList(200, 'together');
    // No cache file yet: both processes race to create it, too.
    expect(existsSync(file)).toBe(false);

    const [a, b] = await Promise.all([runBin(ARGS, { env, cwd, stdin }), runBin(ARGS, { env, cwd, stdin })]);

    for (const run of [a, b]) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const results = ndjson(run.stdout);
      expect(results.map((r) => r.target.sha1).sort()).toEqual([...hashes].sort());
      expect(results.every((r) => r.services[0]?.status === 'not_found')).toBe(true);
    }
    // Each hash asked at most once per process; afterwards every answer is in the cache.
    expect(vendor.count()).toBeLessThanOrEqual(400);
    const asked = vendor.count();
    const third = await runBin(ARGS, { env, cwd, stdin });
    expect(third.code).toBe(0);
    expect(ndjson(third.stdout).every((r) => r.services[0]?.cached === true)).toBe(true);
    expect(vendor.count()).toBe(asked);
  });

  it('a process killed with SIGKILL mid-run leaves a cache the next run opens and answers from', {
    timeout: 30_000,
  }, async () => {
    const slow = notFound(100);
    vendor = await startFakeVendor([slow], { countOnly: true });
    const { cwd, env } = setup(vendor.url);
    const { hashes, stdin } = hashList(200, 'killed');

    const run = startBin(ARGS, { env, cwd, stdin });
    await waitFor(() => run.stdout().split('\n').length > 20, 'the first results');
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.code).toBeNull();
    // Complete lines were printed only after their answer was stored.
    const printed = ndjson(killed.stdout.slice(0, killed.stdout.lastIndexOf('\n') + 1));
    expect(printed.length).toBeGreaterThanOrEqual(20);
    expect(printed.length).toBeLessThan(hashes.length);

    slow.delayMs = 0;
    const asked = vendor.count();
    const next = await runBin(ARGS, { env, cwd, stdin });
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    const results = ndjson(next.stdout);
    expect(results).toHaveLength(hashes.length);
    const cached = new Set(results.filter((r) => r.services[0]?.cached).map((r) => r.target.sha1));
    for (const result of printed) expect(cached.has(result.target.sha1)).toBe(true);
    // Only what was not stored yet is asked again.
    expect(vendor.count() - asked).toBe(hashes.length - cached.size);
  });

  it('broken rows are ignored, asked again and rewritten', async () => {
    vendor = await startFakeVendor([notFound()], { countOnly: true });
    const { cwd, env, file } = setup(vendor.url);
    const { hashes, stdin } = hashList(10, 'broken');
    expect((await runBin(ARGS, { env, cwd, stdin })).code).toBe(0);
    expect(vendor.count()).toBe(10);

    // A row cut short, a row that is not an answer, a row of another service's answer.
    const db = openSqlite(file);
    const update = db.prepare('UPDATE answers SET body = ? WHERE hash = ?');
    update.run('{"service":"hashlookup","stat', `sha1:${hashes[0]}`);
    update.run('{"service":"hashlookup","status":"error"}', `sha1:${hashes[1]}`);
    update.run('null', `sha1:${hashes[2]}`);
    db.close();

    const again = await runBin(ARGS, { env, cwd, stdin });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const results = ndjson(again.stdout);
    // In the order their answers came (NDJSON streams targets as they complete).
    const asked = results.filter((r) => !r.services[0]?.cached).map((r) => r.target.sha1);
    expect(asked.sort()).toEqual(hashes.slice(0, 3).sort());
    expect(vendor.count()).toBe(13);

    // …and rewritten: a third run answers all ten from the cache.
    const third = await runBin(ARGS, { env, cwd, stdin });
    expect(ndjson(third.stdout).every((r) => r.services[0]?.cached === true)).toBe(true);
    expect(vendor.count()).toBe(13);
  });

  it('an upgrade keeps the answers of the earlier cache file (cache-v1.sqlite), then removes it', async () => {
    vendor = await startFakeVendor([notFound()], { countOnly: true });
    const first = setup(vendor.url);
    const { stdin } = hashList(10, 'upgrade');
    expect((await runBin(ARGS, { env: first.env, cwd: first.cwd, stdin })).code).toBe(0);
    expect(vendor.count()).toBe(10);
    const stored = openSqlite(first.file, { readonly: true });
    const rows = stored
      .prepare<[], { hash: string; status: string; body: string; fetched_at: number; expires_at: number }>(
        'SELECT hash, status, body, fetched_at, expires_at FROM answers',
      )
      .all();
    stored.close();
    expect(rows).toHaveLength(10);

    // The same answers in another home, as the earlier layout kept them.
    const upgraded = setup(vendor.url);
    const earlier = join(dirname(upgraded.file), 'cache-v1.sqlite');
    mkdirSync(dirname(earlier), { recursive: true });
    const old = openSqlite(earlier);
    old.exec(`CREATE TABLE answers (
      service TEXT NOT NULL, base_url TEXT NOT NULL, hash TEXT NOT NULL,
      status TEXT NOT NULL, body TEXT NOT NULL, fetched_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
      PRIMARY KEY (service, base_url, hash))`);
    const insert = old.prepare('INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const row of rows) {
      insert.run('hashlookup', vendor.url, row.hash, row.status, row.body, row.fetched_at, row.expires_at);
    }
    old.close();

    const run = await runBin(ARGS, { env: upgraded.env, cwd: upgraded.cwd, stdin });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(ndjson(run.stdout).map((r) => r.services[0]?.cached)).toEqual(Array(10).fill(true));
    expect(vendor.count()).toBe(10);
    expect(existsSync(earlier)).toBe(false);
  });

  it('a cache file that is not a database any more is replaced', async () => {
    vendor = await startFakeVendor([notFound()], { countOnly: true });
    const { cwd, env, file } = setup(vendor.url);
    const { stdin } = hashList(5, 'garbage');
    expect((await runBin(ARGS, { env, cwd, stdin })).code).toBe(0);
    writeFileSync(file, 'this is not an SQLite file '.repeat(200));

    const again = await runBin(ARGS, { env, cwd, stdin });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(ndjson(again.stdout)).toHaveLength(5);
    const third = await runBin(ARGS, { env, cwd, stdin });
    expect(ndjson(third.stdout).every((r) => r.services[0]?.cached === true)).toBe(true);
  });

  it('a cache file damaged inside is set aside for the run, with one warning, and replaced', async () => {
    vendor = await startFakeVendor([notFound()], { countOnly: true });
    const { cwd, env, file } = setup(vendor.url);
    const { stdin } = hashList(20, 'damaged');
    expect((await runBin(ARGS, { env, cwd, stdin })).code).toBe(0);
    damageInside(file);

    const damaged = await runBin(ARGS, { env, cwd, stdin });
    expect(damaged.code).toBe(0);
    expect(ndjson(damaged.stdout)).toHaveLength(20);
    expect(damaged.stderr).toMatch(/^ti-check: cache unusable, going on without it \(.*malformed.*\)\n$/);

    const fresh = await runBin(ARGS, { env, cwd, stdin });
    expect(fresh.stderr).toBe('');
    expect(ndjson(fresh.stdout).some((r) => r.services[0]?.cached)).toBe(false);
    const third = await runBin(ARGS, { env, cwd, stdin });
    expect(ndjson(third.stdout).every((r) => r.services[0]?.cached === true)).toBe(true);
  });

  it('cache stats reports a damaged file without touching it; cache prune removes it', async () => {
    vendor = await startFakeVendor([notFound()], { countOnly: true });
    const { cwd, env, file } = setup(vendor.url);
    expect((await runBin(ARGS, { env, cwd, stdin: hashList(20, 'stats').stdin })).code).toBe(0);
    damageInside(file);
    const damagedBytes = readFileSync(file);

    const stats = await runBin(['cache', 'stats', '--json'], { env, cwd });
    expect(stats.stderr).toBe('');
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({
      file,
      entries: 0,
      damaged: expect.stringMatching(/malformed/),
    });
    expect(readFileSync(file).equals(damagedBytes)).toBe(true);

    const pruned = await runBin(['cache', 'prune'], { env, cwd });
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toBe(
      `removed the damaged cache file ${file} (database disk image is malformed); the next run starts a new one\n`,
    );
    const after = await runBin(['cache', 'stats', '--json'], { env, cwd });
    expect(JSON.parse(after.stdout)).toMatchObject({ entries: 0, damaged: null });
  });

  // Node 24.19+ aborts the process when the GC finalises a better-sqlite3 12 object outside a JS
  // context (see src/core/cache/open-sqlite.ts). This run made Node 24.21 abort every time before the fix: an
  // --offline run over 3,000 hashes ends with the statements of the closed cache still to collect.
  // On Node 20 it simply passes; CI runs it on both.
  it('a long run ends with its exit code, never a native abort, when the GC collects the cache', async () => {
    const { cwd, env } = setup('http://127.0.0.1:9');
    const { stdin } = hashList(3000, 'long');
    const run = await runBin([...ARGS, '--offline'], { env, cwd, stdin });
    expect(run.stderr).not.toContain('Assertion failed');
    expect(run.signal).toBeNull();
    expect(run.code).toBe(3); // nothing cached yet, and --offline asks nobody
    const results = ndjson(run.stdout);
    expect(results).toHaveLength(3000);
    expect(results.every((r) => r.services[0]?.hint === 'offline: no cached answer')).toBe(true);
  }, 30_000);
});
