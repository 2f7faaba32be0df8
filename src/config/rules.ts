/**
 * The config's limits, defaults and rules that need no schema: read both by ./schema.ts and by the
 * code that runs before (or instead of) it (./defaults.ts, the flags' checks, the plugin kit).
 */

/** The longest timeout a service may be given, in seconds (flag and config alike). */
export const MAX_TIMEOUT_SECONDS = 3600;
/** The per-service timeout when neither the config nor a flag gives one, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 20;

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
