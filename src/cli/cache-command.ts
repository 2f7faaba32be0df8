/** `ti-check cache stats|clear|prune`: look at and tidy the answer cache. */
import { cacheConfigSchema } from '../config/schema.js';
import { defaultCacheDir, openCache } from '../core/cache.js';
import type { ServiceDefinition } from '../services/types.js';
import { loadCliConfig } from './config.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

export const CACHE_ACTIONS = ['stats', 'clear', 'prune'] as const;
export type CacheAction = (typeof CACHE_ACTIONS)[number];

export async function runCache(
  args: { action: CacheAction; json: boolean; config?: string },
  io: CliIo,
  registry: readonly ServiceDefinition[],
): Promise<number> {
  const { config } = await loadCliConfig(args.config, io, registry);
  const settings = cacheConfigSchema.parse(config.cache ?? {});
  const cache = openCache(settings.dir ?? defaultCacheDir(io.env), {
    found: settings.foundTtl,
    notFound: settings.notFoundTtl,
  });
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
