/**
 * V8's code cache of the built binary (src/cli/code-cache.ts), on every Node: the first run writes
 * it under <cache dir>/v8, later runs take it back and write nothing, a cache V8 refuses is
 * replaced, and NODE_DISABLE_COMPILE_CACHE turns it off. The answers are the same throughout.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, isolatedEnv, runBin } from '../helpers/run-bin.js';
import { tempDir } from '../helpers/temp-dir.js';

const SHA256 = 'ab'.repeat(32);
const EXAMPLE = fileURLToPath(new URL('../../examples/plugins/internal-reputation.mjs', import.meta.url));
const ARGS = ['--hash', SHA256, '--offline', '--json'];

beforeAll(assertBuilt);

/** Each cached file's content, by name. */
function snapshot(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'latin1')]));
}

/** What a run prints, without the one field that differs from run to run. */
const stable = (stdout: string) => stdout.replace(/"durationMs": \d+/g, '');

describe('code cache (built binary)', () => {
  it('is written by the first run and taken back, unchanged, by the next', async () => {
    const env = isolatedEnv();
    const v8 = join(env.XDG_CACHE_HOME as string, 'ti-check', 'v8');
    const first = await runBin(ARGS, { env });
    expect(first.code).toBe(3);
    expect(first.stderr).not.toMatch(/\n\s+at |Warning/);
    const written = snapshot(v8);
    // The bundle's entry and its chunks, each named after its content and the Node version.
    expect([...written.keys()].some((name) => /^run-[\w-]+\.cjs\.v\d+\.\d+\.\d+-\w+\.code$/.test(name))).toBe(
      true,
    );
    for (const name of written.keys()) expect(statSync(join(v8, name)).mode & 0o777).toBe(0o600);

    const second = await runBin(ARGS, { env });
    expect(second.code).toBe(3);
    expect(stable(second.stdout)).toBe(stable(first.stdout));
    expect(second.stderr).toBe(first.stderr);
    // Taken back: V8 accepted every file, so none was written again.
    expect(snapshot(v8)).toEqual(written);
  });

  it('replaces a cache V8 refuses, and the run answers as usual', async () => {
    const env = isolatedEnv();
    const v8 = join(env.XDG_CACHE_HOME as string, 'ti-check', 'v8');
    const first = await runBin(ARGS, { env });
    const entry = [...snapshot(v8).keys()].find((name) => name.startsWith('run-')) as string;
    writeFileSync(join(v8, entry), 'not V8 code at all');

    const second = await runBin(ARGS, { env });
    expect(second.code).toBe(3);
    expect(stable(second.stdout)).toBe(stable(first.stdout));
    expect(second.stderr).not.toMatch(/\n\s+at |Warning/);
    const rewritten = snapshot(v8);
    expect(rewritten.get(entry)).not.toBe('not V8 code at all');
    await runBin(ARGS, { env });
    expect(snapshot(v8)).toEqual(rewritten);
  });

  it('keeps the code of batches (V8 tuned midway) apart from that of single lookups: each takes its own back', async () => {
    const env = isolatedEnv();
    const v8 = join(env.XDG_CACHE_HOME as string, 'ti-check', 'v8');
    const single = () => runBin(ARGS, { env });
    // A second target makes it a batch, which tunes V8 (src/process-tuning.ts).
    const batch = () => runBin(['--hash', SHA256, '--hash', 'cd'.repeat(32), '--offline', '--json'], { env });
    const firsts = [await single(), await batch()];
    const written = snapshot(v8);
    const names = [...written.keys()];
    expect(names.some((name) => name.endsWith('-tuned.code'))).toBe(true);
    expect(names.some((name) => !name.endsWith('-tuned.code'))).toBe(true);
    // Alternating, neither kind of run finds the other's code in its way: nothing is written again.
    const again = [await single(), await batch(), await single()];
    expect(snapshot(v8)).toEqual(written);
    for (const run of [...firsts, ...again]) {
      expect(run.code).toBe(3);
      expect(run.stderr).not.toMatch(/\n\s+at |Warning/);
    }
    expect(stable(again[2]?.stdout ?? '')).toBe(stable(firsts[0]?.stdout ?? ''));
  });

  it('keeps what another command compiled as partial, and the check command writes its own whole', async () => {
    const env = isolatedEnv();
    const v8 = join(env.XDG_CACHE_HOME as string, 'ti-check', 'v8');
    const names = () => [...snapshot(v8).keys()].sort();
    // `services` first (a new install's first run, often): what it compiled is written as partial.
    expect((await runBin(['services'], { env })).code).toBe(0);
    const partial = names();
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.every((name) => name.endsWith('-partial.code'))).toBe(true);
    // A lookup takes that back, then writes whole data for every chunk it loaded, in its place.
    expect((await runBin(ARGS, { env })).code).toBe(3);
    const whole = names().filter((name) => !name.endsWith('-partial.code'));
    expect(whole.some((name) => name.startsWith('run-'))).toBe(true);
    for (const name of whole) expect(names()).not.toContain(name.replace(/\.code$/, '-partial.code'));
    // From then on neither command writes anything.
    const settled = snapshot(v8);
    expect((await runBin(['services'], { env })).code).toBe(0);
    expect((await runBin(ARGS, { env })).code).toBe(3);
    expect(snapshot(v8)).toEqual(settled);
  });

  it('runs plugins (import() from the bundle) without a word from Node about its loader', async () => {
    const env = isolatedEnv();
    const services = join(env.XDG_CONFIG_HOME as string, 'ti-check', 'services');
    mkdirSync(services, { recursive: true });
    copyFileSync(EXAMPLE, join(services, 'internal-reputation.mjs'));
    const run = () =>
      runBin([...ARGS, '--services', 'intrep,hashlookup'], { env: { ...env, TI_CHECK_INTREP_KEY: 'k' } });
    for (const { code, stdout, stderr } of [await run(), await run()]) {
      expect(stderr).not.toMatch(/ExperimentalWarning|USE_MAIN_CONTEXT|\n\s+at /);
      expect(code).toBe(3);
      const services = JSON.parse(stdout).results[0].services.map((s: { service: string }) => s.service);
      expect(services).toContain('intrep');
    }
  });

  it('loads a bundle that is ASCII throughout, as the loader reads it (Latin-1)', () => {
    const dist = dirname(BIN);
    const files = [
      ...readdirSync(dist).filter((name) => name.endsWith('.cjs')),
      ...readdirSync(join(dist, 'chunks'))
        .filter((name) => name.endsWith('.cjs'))
        .map((name) => join('chunks', name)),
    ];
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const bytes = readFileSync(join(dist, file));
      expect(
        bytes.findIndex((byte) => byte > 0x7f),
        file,
      ).toBe(-1);
    }
  });

  it('says in one line, exit 4, when the install has lost its bundle', async () => {
    const alone = join(tempDir('ti-check-broken-'), 'bin.cjs');
    copyFileSync(BIN, alone);
    const child = spawnSync(process.execPath, [alone, ...ARGS], { env: isolatedEnv(), encoding: 'utf8' });
    expect(child.status).toBe(4);
    expect(child.stderr).toMatch(/^ti-check: internal error: .*ENOENT.*run-[\w-]+\.cjs.*\n$/);
    expect(child.stderr.split('\n')).toHaveLength(2);
  });

  it('is not made when NODE_DISABLE_COMPILE_CACHE is set', async () => {
    const env = isolatedEnv({ NODE_DISABLE_COMPILE_CACHE: '1' });
    const { code } = await runBin(ARGS, { env });
    expect(code).toBe(3);
    expect(() => readdirSync(join(env.XDG_CACHE_HOME as string, 'ti-check', 'v8'))).toThrow(/ENOENT/);
  });
});
