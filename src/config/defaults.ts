/**
 * A config's defaults and the rules that need no schema: what a run without a config file uses, with
 * no zod schema built (~6 ms of a start-up, before the first request). The schemas in ./schema.ts
 * take their defaults from here, and a test holds `configSchema.parse({})` equal to
 * `defaultConfig()`.
 */
import type { CacheConfig, Config } from './schema.js';

/** The longest timeout a service may be given, in seconds (flag and config alike). */
export const MAX_TIMEOUT_SECONDS = 3600;
/** The per-service timeout when neither the config nor a flag gives one, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 20;
/** A multi-engine service says malicious when at least this many engines do (policy default). */
export const DEFAULT_MIN_MALICIOUS_ENGINES = 3;

/** The cache settings of a config that has no `cache` (or leaves some of its keys out). */
export const DEFAULT_CACHE_SETTINGS = Object.freeze({
  enabled: true,
  /** Seconds a "found" answer is reused: 24 h. */
  foundTtl: 86_400,
  /** Seconds a "not found" answer is reused: 1 h, as new samples appear every day. */
  notFoundTtl: 3_600,
  required: false,
});

/** Seconds above 0, at most MAX_TIMEOUT_SECONDS: `timeoutSeconds` of ./schema.ts, for a flag. */
export function isTimeoutSeconds(value: number): boolean {
  return value > 0 && value <= MAX_TIMEOUT_SECONDS;
}

/**
 * What is wrong with a service base URL, or undefined. Credentials in the URL are refused: fetch
 * will not send them, and a URL is printed in links, errors and --debug lines, so they would leak.
 */
export function baseUrlProblem(value: string): string | undefined {
  if (!URL.canParse(value)) return 'expected an absolute URL';
  const url = new URL(value);
  if (url.username || url.password) {
    return 'must not contain a user name or password (it would be printed; give the key as apiKey)';
  }
  if (!['http:', 'https:', 'dns:'].includes(url.protocol)) {
    return 'expected an http:// or https:// URL (dns:// for a DNS service)';
  }
  return undefined;
}

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
