/**
 * Starts the CLI once bin.ts knows it is more than `--version`: the bundle, loaded with V8's code
 * cache (src/cli/code-cache.ts), run with V8's settings for heavy work at hand (src/cli/v8-flags.ts).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir } from '../core/cache/paths.js';
import { RUN_BUNDLE } from './bundle-name.js';
import { bundleLoader } from './code-cache.js';
import { tuneV8ForHeavyWork, v8FlagsTag } from './v8-flags.js';

/** @param binUrl bin.cjs's own URL: the bundle is beside it. */
export async function start(args: string[], binUrl: string): Promise<void> {
  // NODE_DISABLE_COMPILE_CACHE turns V8's cache off, as for any Node program. Always the default
  // cache folder, never the config's cache.dir: the config is read by the code this loads.
  const codeCache = process.env.NODE_DISABLE_COMPILE_CACHE
    ? undefined
    : join(defaultCacheDir(process.env), 'v8');
  const entry = fileURLToPath(new URL(RUN_BUNDLE, binUrl));
  // The check command compiles what most runs need: its code is kept whole, another command's as
  // partial (src/cli/code-cache.ts).
  let isCheck = false;
  const bundle = bundleLoader(
    entry,
    codeCache,
    (specifier) => import(specifier),
    v8FlagsTag,
    () => isCheck,
  );
  process.once('exit', () => bundle.save());
  const { run } = bundle.load(entry) as typeof import('./run.js');
  await run(args, {
    tuneProcess: tuneV8ForHeavyWork,
    onCheckCommand: () => {
      isCheck = true;
    },
  });
}
