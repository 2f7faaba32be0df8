/**
 * Batch scans end to end: the built binary against a local fake hashlookup that enforces its own
 * rate limit and counts requests.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TargetResult } from '../../src/model/report.js';
import { type FakeVendor, startFakeVendor } from '../helpers/fake-vendor.js';
import { assertBuilt, isolatedEnv, runBin } from '../helpers/run-bin.js';
import { tempDir } from '../helpers/temp-dir.js';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
// The fake allows 20 arrivals per 400 ms; ti-check is configured for 20 per 500 ms. The 100 ms between
// them absorbs the scheduling jitter of a loaded 2-core machine between a request's start and its arrival.
const LIMIT = { requests: 20, perMs: 400 };

let vendor: FakeVendor | undefined;
afterEach(async () => {
  await vendor?.close();
  vendor = undefined;
});

function hashlookupVendor(): Promise<FakeVendor> {
  return startFakeVendor(
    [
      {
        path: /^\/lookup\/sha1\//,
        status: 404,
        body: '{"message":"Non existing SHA-1"}',
      },
    ],
    { rateLimit: LIMIT },
  );
}

function setup(url: string): { env: NodeJS.ProcessEnv; cwd: string } {
  const cwd = tempDir('ti-check-batch-');
  // The run's own limit matches the vendor's: ti-check must never be answered 429.
  writeFileSync(
    join(cwd, '.ti-checkrc.json'),
    JSON.stringify({ services: { hashlookup: { rateLimit: { requests: 20, perSeconds: 0.5 } } } }),
  );
  return { env: isolatedEnv({ TI_CHECK_HASHLOOKUP_URL: url }), cwd };
}

/** `count` distinct hashes on stdin, 32 lookups in flight, no cache and no rate limit to speak of. */
async function runWide(url: string, count: number, seed: string) {
  const cwd = tempDir('ti-check-batch-');
  writeFileSync(
    join(cwd, '.ti-checkrc.json'),
    JSON.stringify({
      services: { hashlookup: { rateLimit: { requests: 10_000, perSeconds: 1 }, concurrency: 32 } },
    }),
  );
  const env = isolatedEnv({ TI_CHECK_HASHLOOKUP_URL: url });
  const stdin = `${Array.from({ length: count }, (_, i) => sha1(`${seed} ${i}`)).join('\n')}\n`;
  return runBin(['-', '--services', 'hashlookup', '--ndjson', '--no-cache'], { env, cwd, stdin });
}

describe('batch scans (built binary)', () => {
  beforeAll(() => assertBuilt());

  it('many lookups in flight at once print no warning, only results', async () => {
    vendor = await startFakeVendor([
      { path: /^\/lookup\/sha1\//, status: 404, delayMs: 20, body: '{"message":"Non existing SHA-1"}' },
    ]);
    const run = await runWide(vendor.url, 100, 'wide');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n')).toHaveLength(100);
  });

  it('past its first 256 requests a run goes on through undici, every answer read', async () => {
    // The first requests go through node:http, the rest through the bundle's own undici agent
    // (src/http/transport.ts, scripts/bundle-plugins.mjs). The two stacks write a request's
    // headers in their own order: both orders arriving shows that both stacks sent.
    vendor = await startFakeVendor([
      { path: /^\/lookup\/sha1\//, status: 404, body: '{"message":"Non existing SHA-1"}' },
    ]);
    const run = await runWide(vendor.url, 400, 'past');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TargetResult);
    expect(rows).toHaveLength(400);
    expect(rows.every((row) => row.services[0]?.status === 'not_found')).toBe(true);
    expect(vendor.count()).toBe(400);
    const orders = new Set(vendor.requests.map((request) => Object.keys(request.headers).join(',')));
    expect(orders.size).toBe(2);
  });

  it('200 targets with 20 duplicates: 180 lookups, then 0 from the cache; never a 429', {
    timeout: 60_000,
  }, async () => {
    vendor = await hashlookupVendor();
    const { env, cwd } = setup(vendor.url);
    const distinct = Array.from({ length: 180 }, (_, i) => sha1(`sample ${i}`));
    const lines = [...distinct, ...distinct.slice(0, 20)].map((h, i) => `${h} label-${i}`);
    const stdin = `# EDR export\n\n${lines.join('\n')}\n`;
    const args = ['--hash-file', '-', '--services', 'hashlookup', '--ndjson'];

    const first = await runBin(args, { env, cwd, stdin });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0); // "not found" is an answer
    const results = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TargetResult);
    expect(results).toHaveLength(200);
    expect(vendor.count()).toBe(180);
    expect(vendor.rejected()).toBe(0);
    expect(results.every((r) => r.services[0]?.status === 'not_found')).toBe(true);
    expect(new Set(results.map((r) => r.target.name)).size).toBe(200);

    const second = await runBin(args, { env, cwd, stdin });
    expect(vendor.count()).toBe(180);
    const again = second.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TargetResult);
    expect(again).toHaveLength(200);
    expect(again.every((r) => r.services[0]?.cached === true)).toBe(true);
  });

  it('--plan counts lookups after de-duplication and cache hits and asks nobody', async () => {
    vendor = await hashlookupVendor();
    const { env, cwd } = setup(vendor.url);
    const stdin = `${sha1('a')}\n${sha1('a')}\n${sha1('b')}\nnot-a-hash\n`;
    const plan = await runBin(['-', '--services', 'hashlookup', '--plan', '--json'], { env, cwd, stdin });
    expect(vendor.count()).toBe(0);
    const { services } = (JSON.parse(plan.stdout) as { plan: { services: Array<Record<string, unknown>> } })
      .plan;
    expect(services[0]).toMatchObject({ service: 'hashlookup', distinct: 2, lookups: 2, cacheHits: 0 });
    expect(plan.stderr).toContain('stdin:4: not an MD5, SHA1 or SHA256 hash');
  });

  it('--plan gives a range for a service whose lookups can take two requests', async () => {
    vendor = await hashlookupVendor();
    const { env, cwd } = setup(vendor.url);
    const stdin = `${['a', 'b', 'c', 'd', 'e'].map((t) => sha256(t)).join('\n')}\n`;
    const withKey = { ...env, TI_CHECK_TRIAGE_KEY: 'plan-key-0123' };
    const plan = await runBin(['-', '--services', 'triage', '--plan'], { env: withKey, cwd, stdin });
    expect(vendor.count()).toBe(0);
    // 1 request / 2 s: 5 lookups are 4 windows (8 s) at one request each, 9 (18 s) at two.
    expect(plan.stdout).toMatch(/^triage\s+5\s+0\s+5\s+1\/2s\s+8 s to 18 s \(up to 2 requests a lookup\)$/m);
    expect(plan.stdout).toContain('the run would take about 8 s to 18 s');
  });

  it('walks a directory: one row per file and a summary; identical files asked once', async () => {
    vendor = await hashlookupVendor();
    const { env, cwd } = setup(vendor.url);
    const dir = join(cwd, 'tree');
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(join(dir, 'one.txt'), 'same');
    writeFileSync(join(dir, 'a', 'two.txt'), 'same');
    writeFileSync(join(dir, 'a', 'b', 'empty.bin'), '');
    writeFileSync(join(dir, 'a', 'skip.log'), 'other');
    const run = await runBin([dir, '--services', 'hashlookup', '--exclude', '*.log', '--no-cache'], {
      env,
      cwd,
    });
    expect(run.code).toBe(0);
    expect(vendor.count()).toBe(2);
    expect(run.stdout).toContain('3 targets: 3 unknown');
    expect(run.stdout).toMatch(/empty\.bin\s+UNKNOWN/);
    expect(run.stdout).not.toContain('skip.log');
  });

  it('ti-check cache stats / clear', async () => {
    vendor = await hashlookupVendor();
    const { env, cwd } = setup(vendor.url);
    await runBin(['--hash', sha1('x'), '--services', 'hashlookup'], { env, cwd });
    const stats = await runBin(['cache', 'stats', '--json'], { env, cwd });
    expect(JSON.parse(stats.stdout)).toMatchObject({
      entries: 1,
      byService: { hashlookup: { notFound: 1 } },
    });
    const cleared = await runBin(['cache', 'clear'], { env, cwd });
    expect(cleared.stdout).toContain('removed 1 entries');
    const offline = await runBin(['--hash', sha1('x'), '--services', 'hashlookup', '--offline', '--json'], {
      env,
      cwd,
    });
    expect(offline.code).toBe(3);
    expect(vendor.count()).toBe(1);
    // Like every other row of a batch, the offline one says it came from no cache and no fetch.
    expect(JSON.parse(offline.stdout).results[0].services[0]).toMatchObject({
      status: 'disabled',
      hint: 'offline: no cached answer',
      cached: false,
      fetchedAt: null,
    });
  });
});
