/** The shape of a ti-check config file (cosmiconfig module name `ti-check`). */
import { z } from 'zod';
import { policySchema } from '../model/policy.js';
import { DEFAULT_MIN_MALICIOUS_ENGINES } from '../model/policy-defaults.js';
import {
  baseUrlProblem,
  DEFAULT_CACHE_SETTINGS,
  DEFAULT_TIMEOUT_SECONDS,
  MAX_TIMEOUT_SECONDS,
} from './rules.js';

export const timeoutSeconds = z.number().positive().max(MAX_TIMEOUT_SECONDS);
const positiveSeconds = timeoutSeconds;

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
    enabled: z.boolean().default(DEFAULT_CACHE_SETTINGS.enabled),
    /** Seconds a "found" answer is reused (default 24 h). */
    foundTtl: ttlSeconds.default(DEFAULT_CACHE_SETTINGS.foundTtl),
    /** Seconds a "not found" answer is reused (default 1 h): new samples appear every day. */
    notFoundTtl: ttlSeconds.default(DEFAULT_CACHE_SETTINGS.notFoundTtl),
    /** Where the cache lives; default `$XDG_CACHE_HOME/ti-check` or the OS equivalent. */
    dir: z.string().min(1).optional(),
    /** A shared cache for a fleet: `redis://host:6379/0` or `rediss://…` (src/core/fleet). */
    url: z.string().min(1).optional(),
    /** With `url`: stop rather than go on with the local cache when Redis is out of reach. */
    required: z.boolean().default(DEFAULT_CACHE_SETTINGS.required),
  })
  .strict();

export const configSchema = z
  .object({
    services: z.record(z.string(), serviceConfigSchema).default({}),
    policy: policySchema.default({ minMaliciousEngines: DEFAULT_MIN_MALICIOUS_ENGINES }),
    /** Default per-service timeout in seconds. */
    timeout: positiveSeconds.default(DEFAULT_TIMEOUT_SECONDS),
    /** Absent = defaults (`cacheSettingsOf` in ./defaults.ts). */
    cache: cacheConfigSchema.optional(),
    /** Plugin services: ES module files, relative to the config file (see src/core/plugins.ts). */
    plugins: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type ServiceConfig = z.infer<typeof serviceConfigSchema>;
export type CacheConfig = z.infer<typeof cacheConfigSchema>;
export type Config = z.infer<typeof configSchema>;
