/**
 * V8's compile cache (Node ≥ 22.1, `module.enableCompileCache`): the bytecode of the CLI's bundle
 * is kept between runs, so that a start-up reads it instead of compiling ~1 MB of JavaScript again.
 * Node 20 has no such cache; there this does nothing.
 *
 * Kept in the user's own cache folder (`<cache dir>/v8`), never in Node's default under the shared
 * temporary directory, where another user could leave bytecode for ti-check to run.
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off, as for any Node program.
 */
import module from 'node:module';
import { join } from 'node:path';
import { defaultCacheDir } from '../core/cache/paths.js';

/** Node 20's types do not have it: feature-detected. */
type WithCompileCache = { enableCompileCache?: (directory: string) => unknown };

export function enableCompileCache(env: NodeJS.ProcessEnv): void {
  const { enableCompileCache } = module as WithCompileCache;
  if (!enableCompileCache || env.NODE_DISABLE_COMPILE_CACHE) return;
  try {
    enableCompileCache(join(defaultCacheDir(env), 'v8'));
  } catch {
    // A cache folder that cannot be made costs the speed-up, nothing else.
  }
}
