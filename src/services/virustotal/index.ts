// VirusTotal API v3, "Get a file report": https://docs.virustotal.com/reference/file-info
import { BadResponseError } from '../../errors.js';
import type { Category, Entry } from '../../model/report.js';
import { joinParts, loadSchemas } from '../kit.js';
import { defineService, type Finding, type QuotaUse } from '../types.js';
import type { EngineCategory, VtFileReport } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

/**
 * What each engine's `category` means for us. Engines that did not scan the file
 * (`type-unsupported`, `timeout`, `confirmed-timeout`, `failure`) map to null: they are left out,
 * so they neither dilute nor inflate the detection ratio.
 */
export const CATEGORY: Record<EngineCategory, Category | null> = {
  malicious: 'malicious',
  suspicious: 'suspicious',
  harmless: 'clean',
  undetected: 'undetected',
  'type-unsupported': null,
  timeout: null,
  'confirmed-timeout': null,
  failure: null,
};

export const virustotal = defineService({
  id: 'virustotal',
  displayName: 'VirusTotal',
  aliases: ['vt'],
  kind: 'multi-engine',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'required', signup: 'https://www.virustotal.com/gui/my-apikey' },
  baseUrl: 'https://www.virustotal.com',
  // Public API: 4 requests/minute and 500/day
  // (https://docs.virustotal.com/reference/public-vs-premium-api).
  rateLimit: {
    requests: 4,
    perSeconds: 60,
    daily: 500,
    source: 'https://docs.virustotal.com/reference/public-vs-premium-api',
    basis: 'documented',
  },
  docs: 'https://docs.virustotal.com/reference/file-info',
  link: (hash) => `https://www.virustotal.com/gui/file/${hash.value}`,
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    const res = await ctx.http.request({
      path: `/api/v3/files/${hash.value}`,
      headers: { 'x-apikey': ctx.apiKey ?? '' },
      accept: [404],
    });
    const { vtError, vtFileReport } = await loaded;
    if (res.status === 404) {
      // Only VirusTotal's own "not found" is a miss; any other 404 (a proxy, a moved API) is an error.
      const { error } = res.decode(vtError);
      if (error.code === 'NotFoundError') return null;
      throw new BadResponseError(`VirusTotal answered 404 ${error.code}`);
    }
    return toFinding(res.decode(vtFileReport));
  },
  // API v3 "Get a user's overall quotas" (GET /api/v3/users/{id}/overall_quotas): the path takes a
  // user id or the API key itself; the key is masked in every message and log line.
  async quota(ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    const key = ctx.apiKey ?? '';
    const res = await ctx.http.request({
      path: `/api/v3/users/${encodeURIComponent(key)}/overall_quotas`,
      headers: { 'x-apikey': key },
    });
    const { vtOverallQuotas } = await loaded;
    const { data } = res.decode(vtOverallQuotas);
    const periods = [
      ['hour', data.api_requests_hourly],
      ['day', data.api_requests_daily],
      ['month', data.api_requests_monthly],
    ] as const;
    return periods.flatMap(([period, quota]): QuotaUse[] =>
      quota ? [{ period, used: quota.user.used, allowed: quota.user.allowed }] : [],
    );
  },
});

export function toFinding({ data: { attributes } }: VtFileReport): Finding {
  const entries: Entry[] = [];
  for (const [engine, scan] of Object.entries(attributes.last_analysis_results)) {
    const category = CATEGORY[scan.category];
    if (category) entries.push({ name: engine, category, detail: scan.result || null });
  }
  const threatLabel = attributes.popular_threat_classification?.suggested_threat_label;
  const trusted = attributes.trusted_verdict;
  const trustedBy =
    trusted?.verdict === 'goodware'
      ? { organization: trusted.organization || 'a trusted source', filename: trusted.filename || null }
      : undefined;
  const summary = joinParts(
    // VirusTotal's consensus family label, when it has one, after the engine counts.
    threatLabel && `label: ${threatLabel}`,
    trustedBy &&
      `trusted goodware: ${trustedBy.organization}${trustedBy.filename ? ` (${trustedBy.filename})` : ''}`,
  );
  // A publisher's word makes an undetected file an affirmed clean one; it never outweighs detections.
  const detected = entries.some((e) => e.category === 'malicious' || e.category === 'suspicious');
  return {
    entries,
    hashes: { md5: attributes.md5, sha1: attributes.sha1, sha256: attributes.sha256 },
    ...(trustedBy && !detected ? { verdict: 'clean' as const } : {}),
    ...(summary ? { summary } : {}),
  };
}
