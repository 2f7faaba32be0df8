/**
 * The whole run gets a private temp root (TMPDIR, inherited by every worker and child process), and
 * the run fails if any test left something in it. Private, so that other runs on the same machine
 * (CI, a developer's second terminal) never look like a leak.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'ti-check-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  // Tools that tests run (tsc, for one) call module.enableCompileCache(), which on Node >= 22 writes
  // TMPDIR/node-compile-cache: a cache, not a leak, and not ours to keep. Off for every child.
  const previousCompileCache = process.env.NODE_DISABLE_COMPILE_CACHE;
  process.env.NODE_DISABLE_COMPILE_CACHE = '1';
  return () => {
    if (previousCompileCache === undefined) delete process.env.NODE_DISABLE_COMPILE_CACHE;
    else process.env.NODE_DISABLE_COMPILE_CACHE = previousCompileCache;
    const left = readdirSync(root);
    rmSync(root, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (left.length > 0) {
      // vitest reports an error thrown here but still exits 0: set the exit code ourselves.
      process.exitCode = 1;
      throw new Error(
        `tests left ${left.length} temporary entries behind (use tempDir() from test/helpers/temp-dir.ts): ${left
          .slice(0, 10)
          .join(', ')}`,
      );
    }
  };
}
