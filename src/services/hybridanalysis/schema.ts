// Hybrid Analysis (Falcon Sandbox) API v2, GET /search/hash: https://www.hybrid-analysis.com/docs/api/v2#/Search/get_search_hash
import { z } from 'zod';
import type { Category } from '../../normalize/model.js';

/**
 * A report's `verdict` → category. `no verdict` (and null: the run failed or is still going) gives
 * no opinion, so the report is left out. `no specific threat` means the sandbox found nothing, which
 * is not an affirmation that the file is good: undetected. Only `whitelisted` affirms it.
 */
export const VERDICT: Record<string, Category | null> = {
  malicious: 'malicious',
  suspicious: 'suspicious',
  'no specific threat': 'undetected',
  whitelisted: 'clean',
  'no verdict': null,
};

const report = z.object({
  id: z.string(),
  environment_description: z.string().nullish().catch(undefined),
  state: z.string().nullish().catch(undefined),
  // Decides the verdict: an unknown value is schema drift, never silently dropped.
  verdict: z.enum(Object.keys(VERDICT) as [string, ...string[]]).nullable(),
});

/** Since API v2.35.0 (2025): the SHA-256s the hash resolves to and a summary of each sandbox report. */
export const haSearch = z.object({
  sha256s: z.array(z.string()),
  reports: z.array(report),
});

export type HaReport = z.output<typeof report>;
