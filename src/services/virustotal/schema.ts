// VirusTotal API v3, file object: https://docs.virustotal.com/reference/files
import { z } from 'zod';
import { loose, looseOrUndefined } from '../schema-kit.js';

/** Every engine `category` VirusTotal documents (what each means: `CATEGORY` in index.ts). */
export const ENGINE_CATEGORIES = [
  'malicious',
  'suspicious',
  'harmless',
  'undetected',
  'type-unsupported',
  'timeout',
  'confirmed-timeout',
  'failure',
] as const;
export type EngineCategory = (typeof ENGINE_CATEGORIES)[number];

const engineResult = z.object({
  // Decides the verdict: an unknown category is schema drift, never silently dropped.
  category: z.enum(ENGINE_CATEGORIES),
  result: loose(z.string()),
});

export const vtFileReport = z.object({
  data: z.object({
    attributes: z.object({
      last_analysis_results: z.record(z.string(), engineResult),
      // The file's digests: a lookup by MD5 or SHA-1 learns the others from them.
      md5: looseOrUndefined(z.string()),
      sha1: looseOrUndefined(z.string()),
      sha256: looseOrUndefined(z.string()),
      popular_threat_classification: looseOrUndefined(
        z.object({ suggested_threat_label: z.string().nullish() }),
      ),
      // VirusTotal's own known-good signal: a software publisher vouches for the file.
      trusted_verdict: looseOrUndefined(
        z.object({ verdict: z.string(), organization: z.string().nullish(), filename: z.string().nullish() }),
      ),
    }),
  }),
});

export type VtFileReport = z.output<typeof vtFileReport>;

/** VirusTotal's error envelope: `{ "error": { "code": "NotFoundError", "message": "…" } }`. */
export const vtError = z.object({ error: z.object({ code: z.string() }) });

/** One quota of "Get a user's overall quotas" (`/api/v3/users/{id}/overall_quotas`): the key's own use. */
const vtQuota = z.object({ user: z.object({ used: z.number().min(0), allowed: z.number().min(0) }) });

export const vtOverallQuotas = z.object({
  data: z.object({
    api_requests_hourly: vtQuota.optional(),
    api_requests_daily: vtQuota.optional(),
    api_requests_monthly: vtQuota.optional(),
  }),
});
