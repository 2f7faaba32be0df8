/**
 * What a run without a config file uses, with no zod schema built (~6 ms of a start-up, before the
 * first request): the schemas in ./schema.ts take their defaults from ./rules.ts, as this does, and
 * a test holds `configSchema.parse({})` equal to `defaultConfig()`.
 */
import { DEFAULT_MIN_MALICIOUS_ENGINES } from '../model/policy-defaults.js';
import { DEFAULT_CACHE_SETTINGS, DEFAULT_TIMEOUT_SECONDS } from './rules.js';
import type { CacheConfig, Config } from './schema.js';

/** The config of a run with no config file: `configSchema.parse({})`, a new object each time. */
export function defaultConfig(): Config {
  return {
    services: {},
    policy: { minMaliciousEngines: DEFAULT_MIN_MALICIOUS_ENGINES },
    timeout: DEFAULT_TIMEOUT_SECONDS,
  };
}

/** A config's cache settings: `cache` is complete once the schema read it, and may be absent. */
export function cacheSettingsOf(config: Pick<Config, 'cache'>): CacheConfig {
  return config.cache ?? { ...DEFAULT_CACHE_SETTINGS };
}
