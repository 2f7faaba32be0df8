// Hybrid Analysis (Falcon Sandbox) API v2, GET /search/hash: https://www.hybrid-analysis.com/docs/api/v2#/Search/get_search_hash
import { z } from 'zod';
import { looseOrUndefined } from '../schema-kit.js';

/** Every report `verdict` Hybrid Analysis gives (what each means: `VERDICT` in index.ts). */
export const HA_VERDICTS = [
  'malicious',
  'suspicious',
  'no specific threat',
  'whitelisted',
  'no verdict',
] as const;
export type HaVerdict = (typeof HA_VERDICTS)[number];

const report = z.object({
  id: z.string(),
  environment_description: looseOrUndefined(z.string()),
  state: looseOrUndefined(z.string()),
  // Decides the verdict: an unknown value is schema drift, never silently dropped.
  verdict: z.enum(HA_VERDICTS).nullable(),
});

/** Since API v2.35.0 (2025): the SHA-256s the hash resolves to and a summary of each sandbox report. */
export const haSearch = z.object({
  sha256s: z.array(z.string()),
  reports: z.array(report),
});

export type HaReport = z.output<typeof report>;
