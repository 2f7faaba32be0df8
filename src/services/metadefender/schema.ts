// MetaDefender Cloud API v4, "Lookup hash": https://www.opswat.com/docs/mdcloud/metadefender-cloud-api-v4#hash-lookup
import { z } from 'zod';
import type { Category, Entry } from '../../normalize/model.js';

/**
 * Per-engine `scan_result_i` codes, from OPSWAT's "AV engine return code" table
 * (https://www.opswat.com/docs/mdcore/metascan-engines/av-engine-return-code) plus the allow/block
 * list codes 7 and 8 of "Description of Scan Result Codes"
 * (https://www.opswat.com/docs/mdcloud/integrations/description-on-scan-result-codes).
 * null = the engine gave no verdict (failed, not scanned, cancelled, unsupported): left out.
 */
export const SCAN_RESULT: Record<number, Category | null> = {
  0: 'undetected', // No threat detected
  1: 'malicious', // Infected
  2: 'suspicious', // Suspicious
  3: null, // Failed to scan
  7: 'clean', // Skipped clean (allowlisted)
  8: 'malicious', // Skipped infected (blocklisted)
  10: null, // Not scanned
  19: null, // Cancelled
  22: 'suspicious', // PUA/PUP detected
  23: null, // File format not supported
};

const engineResult = z.object({
  // Decides the verdict: a code outside OPSWAT's table is schema drift, never silently dropped.
  scan_result_i: z
    .number()
    .int()
    .refine((code) => code in SCAN_RESULT, { message: 'unknown scan_result_i code' }),
  threat_found: z.string().nullish().catch(null),
});

export const mdHashReport = z
  .object({
    scan_results: z.object({ scan_details: z.record(z.string(), engineResult) }),
    threat_name: z.string().nullish().catch(undefined),
  })
  .transform((report) => {
    const entries: Entry[] = [];
    for (const [engine, scan] of Object.entries(report.scan_results.scan_details)) {
      const category = SCAN_RESULT[scan.scan_result_i];
      if (category) entries.push({ name: engine, category, detail: scan.threat_found || null });
    }
    return { entries, threatName: report.threat_name || undefined };
  });

/** MetaDefender's error envelope, e.g. `{"error": {"code": 404003, "messages": ["The hash was not found"]}}`. */
export const mdError = z.object({ error: z.object({ code: z.number() }) });
