/**
 * Ctrl-C in the middle of a batch, end to end: the built binary gets a real SIGINT while a slow fake
 * hashlookup still has lookups in flight. And its cousin: the reader of stdout going away (`| head`).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TargetResult } from '../../src/model/report.js';
import { type FakeVendor, startFakeVendor } from '../helpers/fake-vendor.js';
import { assertBuilt, BIN, isolatedEnv, runBin, startBin, waitFor } from '../helpers/run-bin.js';
import { tempDir } from '../helpers/temp-dir.js';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const lines = (text: string) => text.split('\n').filter(Boolean);

let vendor: FakeVendor | undefined;
afterEach(async () => {
  await vendor?.close();
  vendor = undefined;
});

/** A working directory whose config lifts hashlookup's 1 request/s default: the fake has no limit. */
function fastHashlookup(): string {
  const cwd = tempDir('ti-check-sigint-');
  writeFileSync(
    join(cwd, '.ti-checkrc.json'),
    JSON.stringify({ services: { hashlookup: { rateLimit: { requests: 1000, perSeconds: 1 } } } }),
  );
  return cwd;
}

/** A fake hashlookup that answers "not found" after `delayMs`, and the binary started on `n` hashes. */
async function startNdjsonBatch(n: number, seed: string, delayMs: number) {
  vendor = await startFakeVendor(
    [{ path: /^\/lookup\/sha1\//, status: 404, delayMs, body: '{"message":"Non existing SHA-1"}' }],
    { countOnly: true },
  );
  const hashes = Array.from({ length: n }, (_, i) => sha1(`${seed} ${i}`));
  const run = startBin(['--hash-file', '-', '--services', 'hashlookup', '--ndjson'], {
    env: isolatedEnv({ TI_CHECK_HASHLOOKUP_URL: vendor.url }),
    cwd: fastHashlookup(),
    stdin: `${hashes.join('\n')}\n`,
  });
  return { run, hashes, vendor };
}

describe('Ctrl-C (built binary)', () => {
  beforeAll(() => assertBuilt());

  it('exits 130 with only complete lines on stdout and a cache the next run answers from', {
    timeout: 30_000,
  }, async () => {
    // Each answer takes 200 ms: 4 in flight at a time, so 300 targets would take 15 s.
    vendor = await startFakeVendor([
      { path: /^\/lookup\/sha1\//, status: 404, delayMs: 200, body: '{"message":"Non existing SHA-1"}' },
    ]);
    const cwd = fastHashlookup();
    const env = isolatedEnv({ TI_CHECK_HASHLOOKUP_URL: vendor.url });
    const hashes = Array.from({ length: 300 }, (_, i) => sha1(`interrupt ${i}`));
    const stdin = `${hashes.map((h, i) => `${h} t${i}`).join('\n')}\n`;
    const args = ['--hash-file', '-', '--services', 'hashlookup', '--ndjson'];

    const run = startBin(args, { env, cwd, stdin });
    await waitFor(() => lines(run.stdout()).length >= 8, 'the first results');
    run.child.kill('SIGINT');
    const { code, stdout } = await run.done;

    expect(code).toBe(130);
    // Whole lines only: the output ends at a line break and every line is a complete result.
    expect(stdout.endsWith('\n')).toBe(true);
    const printed = lines(stdout).map((l) => JSON.parse(l) as TargetResult);
    expect(printed.length).toBeGreaterThanOrEqual(8);
    expect(printed.length).toBeLessThan(hashes.length);
    // Lookups cut short by Ctrl-C are dropped, never printed as answers or errors.
    for (const result of printed) expect(result.services[0]?.status).toBe('not_found');
    const asked = vendor.count();
    expect(asked).toBeLessThan(hashes.length);

    // The next run over what was printed answers every one of them from the cache.
    const done = printed.map((r) => `${r.target.sha1} ${r.target.name}`).join('\n');
    const again = await runBin(args, { env, cwd, stdin: `${done}\n` });
    expect(again.code).toBe(0);
    const cached = lines(again.stdout).map((l) => JSON.parse(l) as TargetResult);
    expect(cached.map((r) => r.target.name).sort()).toEqual(printed.map((r) => r.target.name).sort());
    expect(cached.every((r) => r.services[0]?.cached === true)).toBe(true);
    expect(vendor.count()).toBe(asked);
  });

  it('--json still prints one valid document with the targets that were complete', {
    timeout: 30_000,
  }, async () => {
    vendor = await startFakeVendor([
      { path: /^\/lookup\/sha1\//, status: 404, delayMs: 200, body: '{"message":"Non existing SHA-1"}' },
    ]);
    const env = isolatedEnv({ TI_CHECK_HASHLOOKUP_URL: vendor.url });
    const hashes = Array.from({ length: 300 }, (_, i) => sha1(`interrupt json ${i}`));
    const run = startBin(['--hash-file', '-', '--services', 'hashlookup', '--json'], {
      env,
      cwd: fastHashlookup(),
      stdin: `${hashes.join('\n')}\n`,
    });
    const current = vendor;
    await waitFor(() => current.count() >= 12, 'the first lookups');
    run.child.kill('SIGINT');
    const { code, stdout, stderr } = await run.done;
    expect(code).toBe(130);
    const report = JSON.parse(stdout) as { schemaVersion: number; results: TargetResult[] };
    expect(report.schemaVersion).toBe(1);
    expect(report.results.length).toBeGreaterThan(0);
    expect(report.results.length).toBeLessThan(hashes.length);
    expect(report.results.every((r) => r.services[0]?.status === 'not_found')).toBe(true);
    expect(stderr).toContain(`interrupted: the report covers the ${report.results.length} targets`);
  });

  it('SIGTERM (kill, docker stop, a cancelled CI job) stops the same way and exits 143', {
    timeout: 30_000,
  }, async () => {
    const { run, hashes } = await startNdjsonBatch(300, 'sigterm', 200);
    await waitFor(() => lines(run.stdout()).length >= 4, 'the first results');
    run.child.kill('SIGTERM');
    const { code, signal, stdout, stderr } = await run.done;

    expect({ code, signal }).toEqual({ code: 143, signal: null });
    expect(stdout.endsWith('\n')).toBe(true);
    const printed = lines(stdout).map((l) => JSON.parse(l) as TargetResult);
    expect(printed.length).toBeLessThan(hashes.length);
    expect(printed.every((r) => r.services[0]?.status === 'not_found')).toBe(true);
    expect(stderr).toContain(`interrupted: the report covers the ${printed.length} targets`);
  });

  it('exits 130 even while it waits for more hashes on a stdin that stays open', async () => {
    vendor = await startFakeVendor([
      { path: /^\/lookup\/sha1\//, status: 404, body: '{"message":"Non existing SHA-1"}' },
    ]);
    const env = isolatedEnv({ TI_CHECK_HASHLOOKUP_URL: vendor.url });
    const cwd = fastHashlookup();
    const hashes = Array.from({ length: 3 }, (_, i) => sha1(`open stdin ${i}`));
    // The producer (an EDR tail, a user typing) has sent three hashes and is still connected.
    const run = startBin(['-', '--services', 'hashlookup', '--ndjson'], {
      env,
      cwd,
      stdin: `${hashes.join('\n')}\n`,
      keepStdinOpen: true,
    });
    await waitFor(() => lines(run.stdout()).length === 3, 'the three results');
    run.child.kill('SIGINT');
    const exited = await Promise.race([
      run.done,
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 5_000)),
    ]);
    run.child.stdin.end();
    if (exited === 'hung') run.child.kill('SIGKILL');
    expect(exited).not.toBe('hung');
    expect(exited).toMatchObject({ code: 130 });
    // NDJSON streams each target as it completes (README, `--sort`): all three, in whatever order
    // their answers came.
    const printed = lines(run.stdout()).map((l) => (JSON.parse(l) as TargetResult).target.sha1);
    expect(printed.sort()).toEqual([...hashes].sort());
  });
});

describe('the reader of stdout goes away, as with `| head` (built binary)', () => {
  beforeAll(() => assertBuilt());

  it('stops asking vendors and exits 141 quietly: no EPIPE stack trace, nothing on stderr', {
    timeout: 30_000,
  }, async () => {
    const { run, vendor: fake } = await startNdjsonBatch(2_000, 'head', 20);
    await waitFor(() => lines(run.stdout()).length >= 3, 'the first results');
    run.child.stdout.destroy();
    const { code, stderr } = await run.done;

    expect(stderr).toBe('');
    expect(code).toBe(141);
    // It stopped: nowhere near the 2,000 lookups a reader that stayed would have cost.
    expect(fake.count()).toBeLessThan(1_000);
  });

  it('with stderr in the same closed pipe (2>&1 | true), never exits 1, the code a gate reads as malicious', async () => {
    // `true` exits at once, so every write ti-check makes, to stdout or stderr, meets a closed pipe.
    const script = `"${process.execPath}" "${BIN}" --hash ${sha1('closed pipe')} --services hashlookup --offline 2>&1 | true; exit \${PIPESTATUS[0]}`;
    for (let i = 0; i < 3; i++) {
      const code = await new Promise<number | null>((resolve, reject) => {
        const shell = spawn('bash', ['-c', script], { env: isolatedEnv(), stdio: 'ignore' });
        shell.on('error', reject);
        shell.on('exit', resolve);
      });
      // 3: no cached answer (--offline), found out before the closed pipe was noticed; 141: after.
      expect([3, 141]).toContain(code);
    }
  });

  it('--version into a closed pipe (| true) ends quietly, exit 0, without a stack trace', async () => {
    const script = `"${process.execPath}" "${BIN}" --version 2>"$ERR" | true; exit \${PIPESTATUS[0]}`;
    for (let i = 0; i < 3; i++) {
      const err = join(tempDir('ti-check-version-'), 'stderr');
      const code = await new Promise<number | null>((resolve, reject) => {
        const shell = spawn('bash', ['-c', script], { env: { ...isolatedEnv(), ERR: err }, stdio: 'ignore' });
        shell.on('error', reject);
        shell.on('exit', resolve);
      });
      expect({ code, stderr: readFileSync(err, 'utf8') }).toEqual({ code: 0, stderr: '' });
    }
  });
});
