/** The shape of a ti-check config file (cosmiconfig module name `ti-check`). */
import { z } from 'zod';
import { policySchema } from '../model/policy.js';
import { parse } from '../model/safe-parse.js';

/** The longest timeout a service may be given, in seconds (flag and config alike). */
export const MAX_TIMEOUT_SECONDS = 3600;
export const timeoutSeconds = z.number().positive().max(MAX_TIMEOUT_SECONDS);
const positiveSeconds = timeoutSeconds;

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

export const serviceConfigSchema = z
  .object({
    enabled: z.boolean().optional(),
    apiKey: z.string().min(1).optional(),
    baseUrl: z
      .string()
      .superRefine((value, ctx) => {
        const problem = baseUrlProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    /** Seconds. */
    timeout: positiveSeconds.optional(),
    /** Overrides the adapter's documented limit (e.g. a premium VirusTotal key). */
    rateLimit: z
      .object({
        requests: z.number().int().min(1),
        perSeconds: z.number().positive(),
        daily: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    /** Lookups of this service in flight at once (default 4). */
    concurrency: z.number().int().min(1).max(64).optional(),
  })
  .strict();

const ttlSeconds = z.number().int().min(0);

export const cacheConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Seconds a "found" answer is reused (default 24 h). */
    foundTtl: ttlSeconds.default(86_400),
    /** Seconds a "not found" answer is reused (default 1 h): new samples appear every day. */
    notFoundTtl: ttlSeconds.default(3_600),
    /** Where the cache lives; default `$XDG_CACHE_HOME/ti-check` or the OS equivalent. */
    dir: z.string().min(1).optional(),
    /** A shared cache for a fleet: `redis://host:6379/0` or `rediss://…` (src/core/fleet). */
    url: z.string().min(1).optional(),
    /** With `url`: stop rather than go on with the local cache when Redis is out of reach. */
    required: z.boolean().default(false),
  })
  .strict();

export const configSchema = z
  .object({
    services: z.record(z.string(), serviceConfigSchema).default({}),
    policy: policySchema.default({ minMaliciousEngines: 3 }),
    /** Default per-service timeout in seconds. */
    timeout: positiveSeconds.default(20),
    /** Absent = defaults (`cacheSettingsOf`). */
    cache: cacheConfigSchema.optional(),
    /** Plugin services: ES module files, relative to the config file (see src/core/plugins.ts). */
    plugins: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type ServiceConfig = z.infer<typeof serviceConfigSchema>;
export type CacheConfig = z.infer<typeof cacheConfigSchema>;
export type Config = z.infer<typeof configSchema>;

/** A config's cache settings with their defaults: `cache` may be absent from it. */
export function cacheSettingsOf(config: Pick<Config, 'cache'>): CacheConfig {
  return parse(cacheConfigSchema, config.cache ?? {});
}
