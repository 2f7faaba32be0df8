/**
 * Vendor rate limits end to end: the built binary against a local fake vendor that answers 429 (with
 * and without Retry-After) or counts a daily quota, and remembers every request it got.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceResult, TargetResult } from '../../src/model/report.js';
import { type FakeVendor, startFakeVendor } from '../helpers/fake-vendor.js';
import { assertBuilt, isolatedEnv, runBin } from '../helpers/run-bin.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fixture } from '../http-mock.js';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const KEY = 'rate-limit-e2e-key';
const LOOKUP = /^\/hashlookup\/lookup\//;
/** The SHA-1 of fixtures/hashlookup/found.json (snap's /bin/ls). */
const LS_SHA1 = '732458574c63c3790cad093a36eadfb990d11ee6';
const NOT_FOUND = { status: 404, body: '{"message":"Non existing SHA-1"}' };

let vendor: FakeVendor | undefined;
afterEach(async () => {
  await vendor?.close();
  vendor = undefined;
});

function workdir(config: unknown): string {
  const cwd = tempDir('ti-check-limits-');
  writeFileSync(join(cwd, '.ti-checkrc.json'), JSON.stringify(config));
  return cwd;
}

function ndjson(stdout: string): TargetResult[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TargetResult);
}

const row = (result: TargetResult, id: string) =>
  result.services.find((s) => s.service === id) as ServiceResult;

describe('vendor rate limits (built binary)', () => {
  beforeAll(() => assertBuilt());

  it('a 429 with Retry-After: 1 pauses the service, then the same lookup succeeds: 2 requests', async () => {
    vendor = await startFakeVendor([
      {
        path: LOOKUP,
        status: 429,
        headers: { 'retry-after': '1' },
        body: '{"message":"slow down"}',
        times: 1,
      },
      { path: LOOKUP, body: () => fixture('hashlookup', 'found.json') },
    ]);
    const env = isolatedEnv({ TI_CHECK_HASHLOOKUP_URL: `${vendor.url}/hashlookup` });
    // The file the recorded answer is about: a hit must carry the digest that was asked for.
    const hash = LS_SHA1;
    const { code, stdout, stderr } = await runBin(['--hash', hash, '--services', 'hashlookup', '--json'], {
      env,
    });

    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { results: TargetResult[] };
    expect(report.results[0]?.services[0]).toMatchObject({ status: 'found', verdict: 'clean', error: null });
    expect(vendor.requests.map((r) => r.path)).toEqual([
      `/hashlookup/lookup/sha1/${hash}`,
      `/hashlookup/lookup/sha1/${hash}`,
    ]);
    // The retry waited for the pause the vendor asked for (a lower bound: never flaky on a slow machine).
    const [first, second] = vendor.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('a 503 with Retry-After: 1 (maintenance) pauses the service, then the same lookup succeeds', async () => {
    vendor = await startFakeVendor([
      { path: LOOKUP, status: 503, headers: { 'retry-after': '1' }, body: 'maintenance', times: 1 },
      { path: LOOKUP, ...NOT_FOUND },
    ]);
    const env = isolatedEnv({ TI_CHECK_HASHLOOKUP_URL: `${vendor.url}/hashlookup` });
    const { code, stdout, stderr } = await runBin(
      ['--hash', sha1('maintenance'), '--services', 'hashlookup', '--json'],
      { env },
    );

    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { results: TargetResult[] };
    expect(report.results[0]?.services[0]).toMatchObject({ status: 'not_found', error: null });
    const [first, second] = vendor.requests;
    expect(vendor.requests).toHaveLength(2);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('a 503 without Retry-After is an error for that lookup only: the next targets are asked', async () => {
    vendor = await startFakeVendor([
      { path: LOOKUP, status: 503, body: 'down', times: 1 },
      { path: LOOKUP, ...NOT_FOUND },
    ]);
    const env = isolatedEnv({ TI_CHECK_HASHLOOKUP_URL: `${vendor.url}/hashlookup` });
    const cwd = workdir({ services: { hashlookup: { rateLimit: { requests: 100, perSeconds: 1 } } } });
    const stdin = ['x', 'y', 'z'].map((t) => sha1(`503 ${t}`)).join('\n');
    const { code, stdout } = await runBin(['--hash-file', '-', '--services', 'hashlookup', '--ndjson'], {
      env,
      cwd,
      stdin,
    });

    const rows = ndjson(stdout).map((r) => row(r, 'hashlookup'));
    expect(vendor.count()).toBe(3); // not retried, and the service is not written off
    expect(rows.map((r) => r.status).sort()).toEqual(['error', 'not_found', 'not_found']);
    expect(rows.find((r) => r.status === 'error')?.error).toMatchObject({ code: 'unavailable' });
    expect(code).toBe(3); // one target got no answer
  });

  it('a lookup that makes two requests gets a rate-limit slot for each (Triage: search, then summary)', async () => {
    vendor = await startFakeVendor([
      { path: /^\/triage\/api\/v0\/search/, body: () => fixture('triage', 'search.json') },
      { path: /^\/triage\/api\/v0\/samples\/.*\/summary$/, body: () => fixture('triage', 'summary.json') },
    ]);
    const env = isolatedEnv({ TI_CHECK_TRIAGE_URL: `${vendor.url}/triage`, TI_CHECK_TRIAGE_KEY: KEY });
    // At most 2 requests in any 1 s window, 4 lookups at once allowed.
    const cwd = workdir({
      services: { triage: { rateLimit: { requests: 2, perSeconds: 1 }, concurrency: 4 } },
    });
    const stdin = ['a', 'b', 'c', 'd'].map((t) => sha256(`two requests ${t}`)).join('\n');
    const { code, stdout, stderr } = await runBin(
      ['--hash-file', '-', '--services', 'triage', '--ndjson', '--timeout', '2'],
      { env, cwd, stdin },
    );

    expect(stderr).toMatch(
      /^ti-check: 4 of 4 targets malicious: [0-9a-f]{64} \(Recorded Future Triage [^)]+\), .+, … and 1 more\n$/,
    );
    expect(code).toBe(1); // the recorded sample is malicious
    const rows = ndjson(stdout).map((r) => row(r, 'triage'));
    expect(rows.map((r) => r.status)).toEqual(['found', 'found', 'found', 'found']);
    // Every request counted, summaries included: 8 requests, never 3 within one window. The
    // 2 s timeout covers the vendor's time only, not the waits for slots (about 3 s in all).
    const times = vendor.requests.map((r) => r.at).sort((a, b) => a - b);
    expect(times).toHaveLength(8);
    for (let i = 0; i + 2 < times.length; i++) {
      expect((times[i + 2] as number) - (times[i] as number)).toBeGreaterThanOrEqual(1000);
    }
  });

  it('a 429 without Retry-After is a spent quota: one request, the service red for every target', async () => {
    vendor = await startFakeVendor([
      { path: LOOKUP, status: 429, body: '{"message":"quota exceeded"}' },
      { method: 'POST', path: '/threatfox/api/v1/', body: () => fixture('threatfox', 'not-found.json') },
    ]);
    const env = isolatedEnv({
      TI_CHECK_HASHLOOKUP_URL: `${vendor.url}/hashlookup`,
      TI_CHECK_THREATFOX_URL: `${vendor.url}/threatfox`,
      TI_CHECK_THREATFOX_KEY: KEY,
    });
    // hashlookup keeps its default limit (1 request/s); ThreatFox is lifted so the test stays quick.
    const cwd = workdir({ services: { threatfox: { rateLimit: { requests: 100, perSeconds: 1 } } } });
    const stdin = ['a', 'b', 'c', 'd'].map((t) => `${sha256(t)} file-${t}`).join('\n');
    const { code, stdout, stderr } = await runBin(
      ['--hash-file', '-', '--services', 'hashlookup,threatfox', '--ndjson'],
      { env, cwd, stdin },
    );

    const results = ndjson(stdout);
    expect(results).toHaveLength(4);
    expect(vendor.requests.filter((r) => LOOKUP.test(r.path))).toHaveLength(1);
    for (const result of results) {
      expect(row(result, 'hashlookup')).toMatchObject({ status: 'error', error: { code: 'rate_limited' } });
      expect(row(result, 'threatfox')).toMatchObject({ status: 'not_found' });
    }
    // The targets after the first are refused without a request, and say why.
    const refused = results.filter((r) => row(r, 'hashlookup').error?.message.startsWith('quota exhausted'));
    expect(refused).toHaveLength(3);
    expect(vendor.requests.filter((r) => r.path === '/threatfox/api/v1/')).toHaveLength(4);
    expect(stderr).toMatch(/^ti-check: hashlookup: quota exhausted \(HTTP 429.*for the rest of the run$/m);
    expect(code).toBe(0); // every target was answered by ThreatFox
  });

  it('a spent quota costs one request even when the limit would let four start at once', async () => {
    // VirusTotal's public default is 4 requests a minute with 4 in flight: a spent daily quota must
    // not be asked four times before the first 429 comes back.
    vendor = await startFakeVendor([
      { path: LOOKUP, status: 429, delayMs: 100, body: '{"message":"quota exceeded"}' },
    ]);
    const env = isolatedEnv({ TI_CHECK_HASHLOOKUP_URL: `${vendor.url}/hashlookup` });
    const cwd = workdir({
      services: { hashlookup: { rateLimit: { requests: 100, perSeconds: 1 }, concurrency: 4 } },
    });
    const stdin = Array.from({ length: 20 }, (_, i) => sha1(`spent ${i}`)).join('\n');
    const { code, stdout } = await runBin(['--hash-file', '-', '--services', 'hashlookup', '--ndjson'], {
      env,
      cwd,
      stdin,
    });

    expect(vendor.count()).toBe(1);
    const rows = ndjson(stdout).map((r) => row(r, 'hashlookup'));
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.error?.code === 'rate_limited')).toBe(true);
    expect(code).toBe(3);
  });

  it('a daily quota of 5 in the config: exactly 5 requests, every other target red with the reason', async () => {
    vendor = await startFakeVendor([{ path: LOOKUP, ...NOT_FOUND }], { countOnly: true });
    const env = isolatedEnv({ TI_CHECK_HASHLOOKUP_URL: `${vendor.url}/hashlookup` });
    const cwd = workdir({
      services: { hashlookup: { rateLimit: { requests: 100, perSeconds: 1, daily: 5 } } },
    });
    const stdin = Array.from({ length: 20 }, (_, i) => sha1(`daily ${i}`)).join('\n');
    const { code, stdout, stderr } = await runBin(
      ['--hash-file', '-', '--services', 'hashlookup', '--ndjson'],
      { env, cwd, stdin },
    );

    expect(vendor.count()).toBe(5);
    const rows = ndjson(stdout).map((r) => row(r, 'hashlookup'));
    expect(rows).toHaveLength(20);
    expect(rows.filter((r) => r.status === 'not_found')).toHaveLength(5);
    const red = rows.filter((r) => r.status === 'error');
    expect(red).toHaveLength(15);
    for (const r of red) {
      expect(r.error).toEqual({
        code: 'rate_limited',
        message: 'daily quota of 5 requests used up by this run; skipped for the rest of it',
      });
    }
    expect(stderr).toContain(
      'ti-check: hashlookup: daily quota of 5 requests used up by this run; skipped for the rest of it\n',
    );
    expect(code).toBe(3); // 15 targets got no answer
  });
});
