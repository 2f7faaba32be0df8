/** `ti-check cache stats|clear|prune`: look at and tidy the answer cache. */
import { cacheConfigSchema } from '../config/schema.js';
import { defaultCacheDir, openCache } from '../core/cache/index.js';
import { TiCheckError } from '../errors.js';
import type { ServiceDefinition } from '../services/types.js';
import { loadCliConfig } from './config.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

export const CACHE_ACTIONS = ['stats', 'clear', 'prune'] as const;
export type CacheAction = (typeof CACHE_ACTIONS)[number];
export const CACHE_OPTIONS = {
  json: { type: 'boolean', default: false, describe: 'print as JSON' },
} as const;

export async function runCache(
  args: { action: CacheAction; json: boolean; config?: string },
  io: CliIo,
  registry: readonly ServiceDefinition[],
): Promise<number> {
  const { config } = await loadCliConfig(args.config, io, registry);
  const settings = cacheConfigSchema.parse(config.cache ?? {});
  const dir = settings.dir ?? defaultCacheDir(io.env);
  try {
    return act(args, io, dir, settings);
  } catch (error) {
    // A cache directory that is a file, cannot be made, or a database that is read-only: the
    // user's to fix, one line and exit 2 — not an internal error.
    if (error instanceof TiCheckError || !(error instanceof Error)) throw error;
    throw new TiCheckError(`cache ${dir}: ${error.message}`, { cause: error });
  }
}

function act(
  args: { action: CacheAction; json: boolean },
  io: CliIo,
  dir: string,
  settings: { foundTtl: number; notFoundTtl: number },
): number {
  const cache = openCache(dir, { found: settings.foundTtl, notFound: settings.notFoundTtl });
  try {
    if (args.action === 'stats') {
      const stats = cache.stats();
      if (args.json) {
        io.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
      } else {
        const lines = [
          `cache     ${stats.file}`,
          `size      ${(stats.bytes / 1024).toFixed(0)} KiB`,
          stats.damaged
            ? `state     damaged (${stats.damaged}): the next run replaces it, or ti-check cache clear now`
            : `entries   ${stats.entries} (${stats.expired} expired: ti-check cache prune removes them)`,
          ...Object.entries(stats.byService).map(
            ([id, c]) => `  ${id.padEnd(16)} ${c.found} found, ${c.notFound} not found`,
          ),
        ];
        io.stdout.write(`${lines.join('\n')}\n`);
      }
    } else {
      const cleanup = args.action === 'clear' ? cache.clear() : cache.prune();
      const what = args.action === 'clear' ? 'entries' : 'expired entries';
      const text = cleanup.damaged
        ? `removed the damaged cache file ${cache.file} (${cleanup.damaged}); the next run starts a new one`
        : `removed ${cleanup.removed} ${what} from ${cache.file}`;
      io.stdout.write(args.json ? `${JSON.stringify(cleanup)}\n` : `${text}\n`);
    }
    return EXIT.ok;
  } finally {
    cache.close();
  }
}
