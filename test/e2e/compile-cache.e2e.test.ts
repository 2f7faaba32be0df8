/**
 * V8's compile cache (src/cli/compile-cache.ts): on a Node that has one (≥ 22.1; CI runs Node 26),
 * the built binary keeps it in the user's own cache folder, and NODE_DISABLE_COMPILE_CACHE turns it
 * off. On Node 20 there is none, and the binary makes no such folder.
 */
import { existsSync, readdirSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, isolatedEnv, runBin } from '../helpers/run-bin.js';

const HAS_COMPILE_CACHE = 'enableCompileCache' in module;
const SHA256 = 'ab'.repeat(32);

beforeAll(assertBuilt);

describe('compile cache (built binary)', () => {
  it.runIf(HAS_COMPILE_CACHE)('is kept under <cache dir>/v8, in the user’s own cache folder', async () => {
    const env = isolatedEnv();
    const { code, stderr } = await runBin(['--hash', SHA256, '--offline', '--json'], { env });
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(3);
    const v8 = join(env.XDG_CACHE_HOME as string, 'ti-check', 'v8');
    expect(readdirSync(v8).length).toBeGreaterThan(0);
  });

  it('is not made when NODE_DISABLE_COMPILE_CACHE is set, nor on a Node without one', async () => {
    const env = isolatedEnv(HAS_COMPILE_CACHE ? { NODE_DISABLE_COMPILE_CACHE: '1' } : {});
    const { code } = await runBin(['--hash', SHA256, '--offline', '--json'], { env });
    expect(code).toBe(3);
    expect(existsSync(join(env.XDG_CACHE_HOME as string, 'ti-check', 'v8'))).toBe(false);
  });
});
