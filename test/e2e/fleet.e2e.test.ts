/**
 * A fleet on one Redis, end to end: several built binaries at once against a local fake vendor that
 * counts and timestamps every request, sharing a real Redis (Debian's redis-server on 127.0.0.1) —
 * and that Redis stopped in the middle of a run.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TargetResult } from '../../src/model/report.js';
import { type FakeVendor, type RecordedRequest, startFakeVendor } from '../helpers/fake-vendor.js';
import { type RedisServer, redisForTests, SKIP_REDIS, startRedisServer } from '../helpers/redis-server.js';
import { assertBuilt, isolatedEnv, runBin, startBin, waitFor } from '../helpers/run-bin.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fixture } from '../http-mock.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const HASHLOOKUP = /^\/hashlookup\/lookup\/sha256\//;
const THREATFOX = '/threatfox/api/v1/';

let vendor: FakeVendor | undefined;
let redis: RedisServer | undefined;
afterEach(async () => {
  await vendor?.close();
  await redis?.stop();
  vendor = undefined;
  redis = undefined;
});

async function startVendor(delayMs = 5): Promise<FakeVendor> {
  return startFakeVendor([
    { path: HASHLOOKUP, status: 404, delayMs, body: () => fixture('hashlookup', 'not-found.json') },
    { method: 'POST', path: THREATFOX, delayMs, body: () => fixture('threatfox', 'not-found.json') },
  ]);
}

/** Each process's own home (so no local cache is shared) and the team's config with its limits. */
function runner(url: string, limit: { requests: number; perSeconds: number }) {
  const cwd = tempDir('ti-check-fleet-');
  const rateLimit = { requests: limit.requests, perSeconds: limit.perSeconds };
  writeFileSync(
    join(cwd, '.ti-checkrc.json'),
    JSON.stringify({
      services: { hashlookup: { rateLimit, concurrency: 8 }, threatfox: { rateLimit, concurrency: 8 } },
    }),
  );
  const env = isolatedEnv({
    TI_CHECK_HASHLOOKUP_URL: `${url}/hashlookup`,
    TI_CHECK_THREATFOX_URL: `${url}/threatfox`,
    TI_CHECK_THREATFOX_KEY: 'fleet-e2e-threatfox-key',
  });
  return { cwd, env };
}

function ndjson(stdout: string): TargetResult[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TargetResult);
}

const hashOf = (request: RecordedRequest) =>
  request.method === 'POST'
    ? (JSON.parse(request.body) as { hash: string }).hash
    : (request.path.split('/').pop() as string);

/** The most requests that arrived within any `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

const ARGS = ['--hash-file', '-', '--services', 'hashlookup,threatfox', '--ndjson'];

/** One run over `hashes` on a Redis of its own, stopped once the vendor has seen 40 requests. */
async function stopRedisMidRun(hashes: string[], extra: string[]) {
  redis = await startRedisServer();
  vendor = await startVendor(20);
  const { cwd, env } = runner(vendor.url, { requests: 50, perSeconds: 1 });
  const run = startBin([...ARGS, '--cache', redis.url(), ...extra], {
    cwd,
    env,
    stdin: `${hashes.join('\n')}\n`,
  });
  await waitFor(() => (vendor?.count() ?? 0) >= 40, 'the first requests');
  await redis.stop();
  return run.done;
}

describe.skipIf(SKIP_REDIS)('a fleet on one Redis (built binaries)', () => {
  beforeAll(() => assertBuilt());

  it('4 processes, 2,000 hashes (1,200 distinct): each asked once per service, never over the shared limit', async () => {
    redis = await redisForTests(2);
    vendor = await startVendor();
    const distinct = Array.from({ length: 1_200 }, (_, i) => sha256(`fleet ${i}`));
    // Four lists of 500 that overlap: together 2,000 hashes, every one of the 1,200 in some list.
    const lists = [0, 300, 600, 900].map((from) =>
      Array.from({ length: 500 }, (_, i) => distinct[(from + i) % distinct.length] as string),
    );
    const limit = { requests: 100, perSeconds: 1 };
    const runs = lists.map((list) => {
      const { cwd, env } = runner(vendor?.url as string, limit);
      return startBin([...ARGS, '--cache', (redis as RedisServer).url()], {
        cwd,
        env,
        stdin: `${list.join('\n')}\n`,
      }).done;
    });
    const results = await Promise.all(runs);

    for (const [i, { code, stdout, stderr }] of results.entries()) {
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const targets = ndjson(stdout);
      expect(targets.map((t) => t.target.sha256).sort()).toEqual([...(lists[i] as string[])].sort());
      for (const target of targets) {
        expect(target.services.map((s) => s.status)).toEqual(['not_found', 'not_found']);
      }
    }
    for (const isService of [
      (r: RecordedRequest) => HASHLOOKUP.test(r.path),
      (r: RecordedRequest) => r.path === THREATFOX,
    ]) {
      const requests = vendor.requests.filter(isService);
      // Every distinct hash once, whichever process asked it.
      expect(requests.map(hashOf).sort()).toEqual([...distinct].sort());
      expect(
        busiestWindow(
          requests.map((r) => r.at),
          limit.perSeconds * 1000,
        ),
      ).toBeLessThanOrEqual(limit.requests);
    }
  }, 120_000);

  it("quota, --plan and cache stats|prune|clear read the fleet's shared counts and answers", async () => {
    redis = await redisForTests(3);
    vendor = await startVendor();
    const url = redis.url();
    const { cwd, env } = runner(vendor.url, { requests: 50, perSeconds: 1 });
    // Another runner of the team used 10 requests of each service today.
    const first = Array.from({ length: 10 }, (_, i) => sha256(`quota ${i}`));
    expect((await runBin([...ARGS, '--cache', url], { cwd, env, stdin: first.join('\n') })).code).toBe(0);

    const other = runner(vendor.url, { requests: 50, perSeconds: 1 });
    const quota = await runBin(
      ['quota', '--services', 'hashlookup,threatfox', '--json', '--cache', url],
      other,
    );
    expect(quota.code).toBe(0);
    expect(JSON.parse(quota.stdout)).toMatchObject({
      counted: 'fleet',
      rows: [
        { service: 'hashlookup', usedToday: 10, leftToday: null },
        { service: 'threatfox', usedToday: 10, leftToday: null },
      ],
    });

    // A daily cap of 25: 10 are gone, so 20 new lookups are over what is left today.
    writeFileSync(
      join(other.cwd, '.ti-checkrc.json'),
      JSON.stringify({ services: { hashlookup: { rateLimit: { requests: 50, perSeconds: 1, daily: 25 } } } }),
    );
    const next = Array.from({ length: 20 }, (_, i) => sha256(`plan ${i}`));
    const plan = await runBin(
      ['--hash-file', '-', '--services', 'hashlookup', '--plan', '--json', '--cache', url],
      {
        ...other,
        stdin: [...first, ...next].join('\n'),
      },
    );
    expect(JSON.parse(plan.stdout).plan.services[0]).toMatchObject({
      cacheHits: 10,
      lookups: 20,
      usedToday: 10,
      overDailyQuota: true,
    });

    const stats = await runBin(['cache', 'stats', '--json', '--cache', url], other);
    expect(JSON.parse(stats.stdout)).toMatchObject({
      file: url,
      entries: 20,
      byService: { hashlookup: { found: 0, notFound: 10 }, threatfox: { found: 0, notFound: 10 } },
    });
    expect((await runBin(['cache', 'prune', '--cache', url], other)).stdout).toBe(
      `removed 0 broken entries from ${url}\n`,
    );
    // A hostile entry in the shared store: its name is shown escaped, it counts as no answer, prune removes it.
    (redis as RedisServer).cli('SET', 'ti-check:v1:answer:evil\u001b[2J:0:sha256:00', '1\n{}');
    const hostile = await runBin(['cache', 'stats', '--cache', url], other);
    expect(hostile.stdout).not.toContain('\u001b');
    expect(hostile.stdout).toContain('entries   21');
    expect(hostile.stdout).not.toContain('evil');
    expect((await runBin(['cache', 'prune', '--cache', url], other)).stdout).toBe(
      `removed 1 broken entries from ${url}\n`,
    );
    expect((await runBin(['cache', 'clear', '--cache', url], other)).stdout).toBe(
      `removed 20 entries from ${url}\n`,
    );
  }, 60_000);

  it('Redis stopped mid-run: one warning, the run finishes on the local cache, the report is whole', async () => {
    const hashes = Array.from({ length: 200 }, (_, i) => sha256(`lost ${i}`));
    const { code, stdout, stderr } = await stopRedisMidRun(hashes, []);

    expect(stderr).toMatch(
      /^ti-check: Redis at redis:\/\/127\.0\.0\.1:\d+\/0 was lost \([^)]*\): going on with the local cache and this process's own rate limits \(Redis is not tried again in this run\)\n$/,
    );
    expect(code).toBe(0); // the verdict's: nobody knows these hashes
    const targets = ndjson(stdout);
    expect(targets.map((t) => t.target.sha256).sort()).toEqual([...hashes].sort());
    for (const target of targets) {
      expect(target.services.map((s) => s.status)).toEqual(['not_found', 'not_found']);
    }
  }, 60_000);

  it('Redis stopped mid-run with --cache-required: exit 2 and one line', async () => {
    const hashes = Array.from({ length: 200 }, (_, i) => sha256(`required ${i}`));
    const { code, stderr } = await stopRedisMidRun(hashes, ['--cache-required']);

    expect(stderr).toMatch(
      /^ti-check: Redis at redis:\/\/127\.0\.0\.1:\d+\/0 was lost .*the run stops, as --cache-required asks.*\n$/,
    );
    expect(stderr.split('\n')).toHaveLength(2);
    expect(code).toBe(2);
  }, 60_000);

  it('a Redis out of reach at the start: one warning and a local run; with --cache-required, exit 2', async () => {
    const gone = await startRedisServer();
    const url = gone.url().replace('redis://', 'redis://team:s3cret-pass@');
    await gone.stop();
    vendor = await startVendor();
    const { cwd, env } = runner(vendor.url, { requests: 50, perSeconds: 1 });
    const stdin = `${sha256('start')}\n`;

    const local = await runBin([...ARGS, '--cache', url], { cwd, env, stdin });
    expect(local.code).toBe(0);
    expect(local.stderr).toMatch(
      /^ti-check: Redis at redis:\/\/team:\*\*\*@127\.0\.0\.1:\d+\/0 is unreachable .*running with the local cache/,
    );
    expect(ndjson(local.stdout)).toHaveLength(1);

    const required = await runBin([...ARGS, '--cache-required'], {
      cwd,
      env: { ...env, TI_CHECK_CACHE_URL: url },
      stdin,
    });
    expect(required.code).toBe(2);
    expect(required.stdout).toBe('');
    expect(required.stderr.split('\n')).toHaveLength(2);
    // doctor names it as a problem (exit 1), with the fix, the password masked.
    const doctor = await runBin(['doctor', '--services', 'hashlookup'], {
      cwd,
      env: { ...env, TI_CHECK_CACHE_URL: url },
    });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      /^cache {5}Redis at redis:\/\/team:\*\*\*@127\.0\.0\.1:\d+\/0 is unreachable \(.*\); runs go on with the local cache/m,
    );
    expect(`${local.stderr}${required.stderr}${doctor.stdout}${doctor.stderr}`).not.toContain('s3cret');
  }, 60_000);
});
