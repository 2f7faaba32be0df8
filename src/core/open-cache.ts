/**
 * The answer cache a run uses, if any: the embedded SQLite file by default, or a fleet's Redis
 * (`--cache redis://…`, `TI_CHECK_CACHE_URL`, config `cache.url`). A cache only saves quota, so a run
 * without it is still correct: one that cannot be opened costs a warning, unless `required`.
 */

import { envReference } from '../config/env-refs.js';
import type { CacheConfig } from '../config/schema.js';
import { ConfigError, InputError } from '../errors.js';
import type { CacheMode } from './batch.js';
import { defaultCacheDir } from './cache/paths.js';
import type { AnswerCache, CacheTtl } from './cache/store.js';
import { type Fleet, openFleet, parseRedisUrl } from './fleet/index.js';

export interface CacheRequest {
  /** `--no-cache`. */
  disabled: boolean;
  /** `--offline`: answers only from the cache. */
  offline: boolean;
  /** `--refresh`: ask again and overwrite. */
  refresh: boolean;
  /** `--cache <url>`: a shared cache; wins over the environment and the config. */
  url?: string;
  /** `--cache-required`: no run without the shared cache. */
  required?: boolean;
  settings: CacheConfig;
  env: NodeJS.ProcessEnv;
}

export interface OpenedCache {
  cache: AnswerCache | undefined;
  /** Set when the run shares Redis with other processes. */
  fleet: Fleet | undefined;
}

/** The shared cache's URL and where it was given, or undefined for the embedded cache. */
export function sharedCacheUrl(request: Pick<CacheRequest, 'url' | 'settings' | 'env'>): string | undefined {
  const [raw, from] =
    request.url !== undefined
      ? [request.url, '--cache']
      : request.env.TI_CHECK_CACHE_URL
        ? [request.env.TI_CHECK_CACHE_URL, 'TI_CHECK_CACHE_URL']
        : [request.settings.url, 'cache.url in the config'];
  if (raw === undefined) return undefined;
  // `"url": "${TEAM_REDIS_URL}"`: a config checked into a repository names the variable, not the password.
  const name = envReference(raw);
  const url = name === undefined ? raw : request.env[name];
  if (!url) throw new ConfigError(`${from} refers to \${${name}}, which is not set`);
  parseRedisUrl(url, name === undefined ? from : `${from} (\${${name}})`);
  return url;
}

/** The config's TTLs as the cache stores take them. */
export function cacheTtl(settings: CacheConfig): CacheTtl {
  return { found: settings.foundTtl, notFound: settings.notFoundTtl };
}

/**
 * A fleet's Redis for a command that works on it alone (`cache`, `doctor`): out of reach is an error
 * (a ConfigError naming `requiredBy`, '' for nobody), never a quiet fall-back to the local cache.
 */
export async function openSharedCache(
  url: string,
  settings: CacheConfig,
  requiredBy: string,
): Promise<Fleet> {
  const fleet = await openFleet({
    url,
    required: true,
    requiredBy,
    ttl: cacheTtl(settings),
    openLocal: () => undefined,
    warn: () => {},
  });
  // A required fleet throws when it cannot connect: undefined is not a value it returns.
  if (!fleet) throw new ConfigError(`${requiredBy}: the shared cache could not be opened`);
  return fleet;
}

export async function openAnswerCache(
  request: CacheRequest,
  warn: (message: string) => void,
): Promise<OpenedCache> {
  const url = request.disabled ? undefined : sharedCacheUrl(request);
  const required = request.required === true || request.settings.required;
  if (required && !url) {
    throw new InputError('--cache-required needs a shared cache: --cache redis://host:6379/0 (or cache.url)');
  }
  // The SQLite store (and better-sqlite3, ~6 ms to load) only for a run that may use it.
  const sqlite = wantsLocalCache(request) ? await import('./cache/sqlite.js') : undefined;
  const openLocal = () => (sqlite ? openLocalCache(sqlite.openCache, request, warn) : undefined);
  if (!url) return { cache: openLocal(), fleet: undefined };
  const { settings } = request;
  const fleet = await openFleet({ url, required, ttl: cacheTtl(settings), openLocal, warn });
  return fleet ? { cache: fleet.cache, fleet } : { cache: openLocal(), fleet: undefined };
}

function wantsLocalCache(request: CacheRequest): boolean {
  return !request.disabled && (request.settings.enabled || request.offline);
}

function openLocalCache(
  openCache: typeof import('./cache/sqlite.js').openCache,
  request: CacheRequest,
  warn: (message: string) => void,
): AnswerCache | undefined {
  const dir = request.settings.dir ?? defaultCacheDir(request.env);
  try {
    return openCache(dir, cacheTtl(request.settings), Date.now, (error) =>
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
