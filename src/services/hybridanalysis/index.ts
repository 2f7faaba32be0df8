// Hybrid Analysis (CrowdStrike Falcon Sandbox) API v2: https://www.hybrid-analysis.com/docs/api/v2
import type { Category, Entry } from '../../model/report.js';
import { worstVerdict } from '../../model/verdict.js';
import { loadSchemas, plural, sha256Link } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { HaReport, HaVerdict } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

/**
 * A report's `verdict` → category. `no verdict` (and null: the run failed or is still going) gives
 * no opinion, so the report is left out. `no specific threat` means the sandbox found nothing, which
 * is not an affirmation that the file is good: undetected. Only `whitelisted` affirms it.
 */
export const VERDICT: Record<HaVerdict, Category | null> = {
  malicious: 'malicious',
  suspicious: 'suspicious',
  'no specific threat': 'undetected',
  whitelisted: 'clean',
  'no verdict': null,
};

const permalink = (sha256: string) => `https://www.hybrid-analysis.com/sample/${sha256}`;

export const hybridanalysis = defineService({
  id: 'hybridanalysis',
  displayName: 'Hybrid Analysis',
  aliases: ['ha'],
  kind: 'sandbox',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'required', signup: 'https://www.hybrid-analysis.com/signup' },
  baseUrl: 'https://www.hybrid-analysis.com',
  // Hybrid Analysis publishes no free-tier number; a key's own limits are returned by
  // GET /api/v2/key/current (https://www.hybrid-analysis.com/docs/api/v2). 10 requests/minute is a
  // conservative pick.
  rateLimit: {
    requests: 10,
    perSeconds: 60,
    source: 'https://www.hybrid-analysis.com/docs/api/v2',
    basis: 'conservative',
  },
  docs: 'https://www.hybrid-analysis.com/docs/api/v2',
  link: (hash) => permalink(hash.value),
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    // API v2.35.0 (2025) deprecated `POST /api/v2/search/hash` (form body `hash=`) in favour of
    // `GET /api/v2/search/hash?hash=`, which answers `{sha256s, reports}` instead of full report
    // summaries (https://hybrid-analysis.com/docs/api/v2-changelog#v2-35-0).
    const res = await ctx.http.request({
      path: '/api/v2/search/hash',
      query: { hash: hash.value },
      // The API docs ask every client to send `User-Agent: Falcon Sandbox`.
      headers: { 'api-key': ctx.apiKey ?? '', 'user-agent': 'Falcon Sandbox' },
    });
    const { haSearch } = await loaded;
    const { sha256s, reports } = res.decode(haSearch);
    if (sha256s.length === 0 && reports.length === 0) return null;
    return { ...toFinding(reports), ...sha256Link(hash, sha256s[0]?.toLowerCase(), permalink) };
  },
});

/** One row per sandbox report that reached a verdict; the service verdict is the worst of them. */
export function toFinding(reports: HaReport[]): Finding {
  const entries: Entry[] = [];
  for (const report of reports) {
    const category = report.verdict === null ? null : VERDICT[report.verdict];
    if (!category) continue;
    entries.push({
      name: report.environment_description || `report ${report.id}`,
      category,
      detail: `${report.verdict} · report ${report.id}`,
    });
  }
  // A known file whose runs all failed or are pending: nobody flagged it.
  const verdict = worstVerdict(entries.map((e) => e.category)) ?? 'undetected';
  const runs = `${entries.length}/${plural(reports.length, 'report')} with a verdict`;
  return { verdict, summary: runs, entries };
}
