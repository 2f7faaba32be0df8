/** `ti-check cache stats|clear|prune`: look at and tidy the answer cache, local or a fleet's Redis. */
import { cacheSettingsOf } from '../config/defaults.js';
import { type AnswerCache, defaultCacheDir, openCache } from '../core/cache/index.js';
import { cacheTtl, openSharedCache, sharedCacheUrl } from '../core/open-cache.js';
import { TiCheckError } from '../errors.js';
import { terminalSafe } from '../render/terminal-text.js';
import type { ServiceDefinition } from '../services/types.js';
import { SHARED_CACHE_OPTION } from './check-options.js';
import { loadCliConfig } from './config.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

export const CACHE_ACTIONS = ['stats', 'clear', 'prune'] as const;
export type CacheAction = (typeof CACHE_ACTIONS)[number];
export const CACHE_OPTIONS = {
  json: { type: 'boolean', default: false, describe: 'print as JSON' },
  cache: SHARED_CACHE_OPTION,
} as const;

export async function runCache(
  args: { action: CacheAction; json: boolean; config?: string; cache?: string },
  io: CliIo,
  registry: readonly ServiceDefinition[],
): Promise<number> {
  const { config } = await loadCliConfig(args.config, io, registry);
  const settings = cacheSettingsOf(config);
  const url = sharedCacheUrl({ url: args.cache, settings, env: io.env });
  // Redis out of reach is an error here (exit 2): tidying the local cache instead would mislead.
  if (url)
    return act(args, io, (await openSharedCache(url, settings, `ti-check cache ${args.action}`)).cache);
  const dir = settings.dir ?? defaultCacheDir(io.env);
  try {
    return await act(args, io, openCache(dir, cacheTtl(settings)));
  } catch (error) {
    // A cache directory that is a file, cannot be made, or a database that is read-only: the
    // user's to fix, one line and exit 2 — not an internal error.
    if (error instanceof TiCheckError || !(error instanceof Error)) throw error;
    throw new TiCheckError(`cache ${dir}: ${error.message}`, { cause: error });
  }
}

async function act(
  args: { action: CacheAction; json: boolean },
  io: CliIo,
  cache: AnswerCache,
): Promise<number> {
  try {
    const shared = cache.claim !== undefined;
    if (args.action === 'stats') {
      const stats = await cache.stats();
      if (args.json) {
        io.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
      } else {
        const lines = [
          `cache     ${stats.file}`,
          `size      ${(stats.bytes / 1024).toFixed(0)} KiB`,
          stats.damaged
            ? `state     damaged (${stats.damaged}): the next run replaces it, or ti-check cache clear now`
            : shared
              ? `entries   ${stats.entries} (Redis drops each when its TTL ends)`
              : `entries   ${stats.entries} (${stats.expired} expired: ti-check cache prune removes them)`,
          ...Object.entries(stats.byService).map(
            ([id, c]) => `  ${id.padEnd(16)} ${c.found} found, ${c.notFound} not found`,
          ),
        ];
        // Service names come from the store (a shared Redis, a file): shown escaped, never as raw controls.
        io.stdout.write(`${lines.map(terminalSafe).join('\n')}\n`);
      }
    } else {
      const cleanup = await (args.action === 'clear' ? cache.clear() : cache.prune());
      // Redis expires answers itself: pruning there removes entries that are not valid answers.
      const what = args.action === 'clear' ? 'entries' : shared ? 'broken entries' : 'expired entries';
      const text = cleanup.damaged
        ? `removed the damaged cache file ${cache.file} (${cleanup.damaged}); the next run starts a new one`
        : `removed ${cleanup.removed} ${what} from ${cache.file}`;
      io.stdout.write(args.json ? `${JSON.stringify(cleanup)}\n` : `${terminalSafe(text)}\n`);
    }
    return EXIT.ok;
  } finally {
    await cache.close();
  }
}
