// OPSWAT MetaDefender Cloud API v4: https://www.opswat.com/docs/mdcloud/metadefender-cloud-api-v4
import { BadResponseError } from '../../errors.js';
import type { Category, Entry } from '../../model/report.js';
import { loadSchemas } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { MdHashReport, ScanResultCode } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

/**
 * What each per-engine `scan_result_i` code means (OPSWAT's descriptions in the comments).
 * null = the engine gave no verdict (failed, not scanned, cancelled, unsupported): left out.
 */
export const SCAN_RESULT: Record<ScanResultCode, Category | null> = {
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

/** MetaDefender's error code for "The hash was not found". */
const HASH_NOT_FOUND = 404003;

export const metadefender = defineService({
  id: 'metadefender',
  displayName: 'MetaDefender Cloud',
  aliases: ['md', 'opswat'],
  kind: 'multi-engine',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'required', signup: 'https://metadefender.com/' },
  baseUrl: 'https://api.metadefender.com',
  // Each apikey has its own daily limit per API family, shown in the account and in X-RateLimit-*
  // headers (https://www.opswat.com/docs/mdcloud/integrations/rate-limiting); no free-tier number is
  // published for hash lookups, so 10 requests/minute is a conservative pick.
  rateLimit: {
    requests: 10,
    perSeconds: 60,
    source: 'https://www.opswat.com/docs/mdcloud/integrations/rate-limiting',
    basis: 'conservative',
  },
  docs: 'https://www.opswat.com/docs/mdcloud/metadefender-cloud-api-v4',
  link: (hash) => `https://metadefender.com/results/hash/${hash.value}`,
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    const res = await ctx.http.request({
      path: `/v4/hash/${hash.value}`,
      headers: { apikey: ctx.apiKey ?? '' },
      accept: [404],
    });
    const { mdError, mdHashReport } = await loaded;
    if (res.status === 404) {
      const { error } = res.decode(mdError);
      if (error.code === HASH_NOT_FOUND) return null;
      throw new BadResponseError(`MetaDefender answered 404 with error code ${error.code}`);
    }
    return toFinding(res.decode(mdHashReport));
  },
});

/** One row per engine that gave a verdict; MetaDefender's own threat name after the engine counts. */
export function toFinding(report: MdHashReport): Finding {
  const entries: Entry[] = [];
  for (const [engine, scan] of Object.entries(report.scan_results.scan_details)) {
    const category = SCAN_RESULT[scan.scan_result_i as ScanResultCode];
    if (category) entries.push({ name: engine, category, detail: scan.threat_found || null });
  }
  if (!report.threat_name) return { entries };
  return { entries, summary: `threat: ${report.threat_name}` };
}
