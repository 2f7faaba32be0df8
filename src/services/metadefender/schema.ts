// MetaDefender Cloud API v4, "Lookup hash": https://www.opswat.com/docs/mdcloud/metadefender-cloud-api-v4#hash-lookup
import { z } from 'zod';
import { loose, looseOrUndefined } from '../schema-kit.js';

/**
 * Every per-engine `scan_result_i` code ti-check knows (what each means: `SCAN_RESULT` in index.ts),
 * from OPSWAT's "AV engine return code" table
 * (https://www.opswat.com/docs/mdcore/metascan-engines/av-engine-return-code) plus the allow/block
 * list codes 7 and 8 of "Description of Scan Result Codes"
 * (https://www.opswat.com/docs/mdcloud/integrations/description-on-scan-result-codes).
 */
export const SCAN_RESULT_CODES = [0, 1, 2, 3, 7, 8, 10, 19, 22, 23] as const;
export type ScanResultCode = (typeof SCAN_RESULT_CODES)[number];

const isScanResultCode = (code: number): code is ScanResultCode =>
  (SCAN_RESULT_CODES as readonly number[]).includes(code);

const engineResult = z.object({
  // Decides the verdict: a code outside OPSWAT's table is schema drift, never silently dropped.
  scan_result_i: z.number().int().refine(isScanResultCode, { message: 'unknown scan_result_i code' }),
  threat_found: loose(z.string()),
});

export const mdHashReport = z.object({
  scan_results: z.object({ scan_details: z.record(z.string(), engineResult) }),
  threat_name: looseOrUndefined(z.string()),
});

export type MdHashReport = z.output<typeof mdHashReport>;

/** MetaDefender's error envelope, e.g. `{"error": {"code": 404003, "messages": ["The hash was not found"]}}`. */
export const mdError = z.object({ error: z.object({ code: z.number() }) });
