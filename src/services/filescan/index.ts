// OPSWAT Filescan.io API: https://www.filescan.io/api/docs
import type { Category, Entry } from '../../model/report.js';
import { joinDetail, loadSchemas } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { FilescanVerdict, Reputation } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

const WEB = 'https://www.filescan.io';

/**
 * `likely_malicious` → malicious: OPSWAT's own integration guide treats it like `malicious` ("if the
 * overall_verdict is likely_malicious or malicious, skip the next steps"). `informational` and
 * `unknown` assert nothing about the file, so they stay `undetected` rather than `clean`.
 */
export const CATEGORY: Record<FilescanVerdict, Category> = {
  malicious: 'malicious',
  likely_malicious: 'malicious',
  suspicious: 'suspicious',
  informational: 'undetected',
  unknown: 'undetected',
  no_threat: 'clean',
  benign: 'clean',
};

export const filescan = defineService({
  id: 'filescan',
  displayName: 'Filescan.io',
  kind: 'reputation',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'optional', signup: 'https://www.filescan.io/auth/signup' },
  baseUrl: 'https://www.filescan.io',
  // Filescan documents no numeric free-tier limit; 10/min is a conservative default of ours.
  rateLimit: {
    requests: 10,
    perSeconds: 60,
    source: 'https://www.filescan.io/api/docs',
    basis: 'conservative',
  },
  docs: 'https://www.filescan.io/api/docs',
  link: (hash) => `${WEB}/search-result?query=${hash.value}`,
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    const res = await ctx.http.request({
      path: '/api/reputation/hash',
      query: { [hash.type]: hash.value },
      headers: ctx.apiKey ? { 'x-api-key': ctx.apiKey } : {},
      accept: [404],
    });
    const { reputationSchema } = await loaded;
    if (res.status === 404) return null;
    return toFinding(res.decode(reputationSchema));
  },
});

export function toFinding(rep: Reputation): Finding | null {
  const entries: Entry[] = rep.filescan_reports.map((report) => ({
    name: `report ${report.report_id}`,
    category: CATEGORY[report.verdict],
    // A date may come as a number; 0 is still a date.
    detail: joinDetail(report.verdict, report.report_date == null ? null : String(report.report_date)),
  }));
  const md = rep.mdcloud;
  if (md && md.total_av_engines > 0) {
    entries.push({
      name: 'MetaDefender Cloud',
      category: md.detected_av_engines > 0 ? 'malicious' : 'clean',
      detail: `${md.detected_av_engines}/${md.total_av_engines} engines`,
    });
  }
  // Filescan answers unknown hashes with 200 + `unknown` and nothing behind it.
  if (rep.overall_verdict === 'unknown' && entries.length === 0) return null;
  return {
    verdict: CATEGORY[rep.overall_verdict],
    entries,
    summary: `overall verdict: ${rep.overall_verdict}`,
  };
}
