/** The answer cache a run uses, if any: it only saves quota, so a run without it is still correct. */
import type { CacheConfig } from '../config/schema.js';
import type { CacheMode } from './batch.js';
import { type AnswerCache, defaultCacheDir, openCache } from './cache/index.js';

export interface CacheRequest {
  /** `--no-cache`. */
  disabled: boolean;
  /** `--offline`: answers only from the cache. */
  offline: boolean;
  /** `--refresh`: ask again and overwrite. */
  refresh: boolean;
  settings: CacheConfig;
  env: NodeJS.ProcessEnv;
}

export function openCacheFor(
  request: CacheRequest,
  warn: (message: string) => void,
): AnswerCache | undefined {
  const { settings } = request;
  if (request.disabled || (!settings.enabled && !request.offline)) return undefined;
  const dir = settings.dir ?? defaultCacheDir(request.env);
  try {
    return openCache(dir, { found: settings.foundTtl, notFound: settings.notFoundTtl }, Date.now, (error) =>
      warn(`cache unusable, going on without it (${error.message})`),
    );
  } catch (error) {
    warn(`cache unavailable, running without it (${(error as Error).message})`);
    return undefined;
  }
}

export function cacheModeFor(
  request: Pick<CacheRequest, 'offline' | 'refresh'>,
  cache: AnswerCache | undefined,
): CacheMode {
  if (request.offline) return 'offline';
  if (!cache) return 'off';
  return request.refresh ? 'refresh' : 'use';
}
