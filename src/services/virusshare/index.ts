// VirusShare API v2: https://virusshare.com/apiv2_reference
import { RateLimitError } from '../../errors.js';
import type { Entry } from '../../model/report.js';
import { loadSchemas } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { FileReport } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

const WEB = 'https://virusshare.com';

export const virusshare = defineService({
  id: 'virusshare',
  displayName: 'VirusShare',
  aliases: ['vs'],
  kind: 'repository',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'required', signup: 'https://virusshare.com/' },
  baseUrl: 'https://virusshare.com',
  // Public API keys: 4 requests per minute (VirusShare API v2 reference).
  rateLimit: {
    requests: 4,
    perSeconds: 60,
    source: 'https://virusshare.com/apiv2_reference',
    basis: 'documented',
  },
  docs: 'https://virusshare.com/apiv2_reference',
  link: (hash) => `${WEB}/file?${hash.value}`,
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    // The key travels in the query string: the HTTP layer redacts it from every message.
    const res = await ctx.http.request({
      path: '/apiv2/file',
      query: { apikey: ctx.apiKey ?? '', hash: hash.value },
      // Over the per-minute budget VirusShare answers an empty 204 (the VirusTotal v2 convention
      // its API follows) rather than a 429.
      accept: [204],
    });
    const { fileReportSchema } = await loaded;
    if (res.status === 204) throw new RateLimitError('HTTP 204: request rate limit reached (4/min)');
    return toFinding(res.decode(fileReportSchema));
  },
});

export function toFinding(report: FileReport): Finding | null {
  if (report.response === 0) return null;
  const link = report.sha256 ? `${WEB}/file?${report.sha256.toLowerCase()}` : undefined;
  if (report.response === 2) {
    return {
      verdict: 'clean',
      entries: [{ name: 'VirusShare', category: 'clean', detail: 'listed as benign' }],
      summary: 'listed as benign',
      ...(link ? { link } : {}),
    };
  }
  // Every file VirusShare lists as malware is malicious by its own word; the embedded
  // VirusTotal rows are context, one row per engine that scanned.
  const scans = Object.entries(report.virustotal?.scans ?? {});
  const entries: Entry[] = scans.map(([engine, scan]) => ({
    name: engine,
    category: scan.detected ? 'malicious' : 'undetected',
    detail: scan.detected ? (scan.result ?? null) : null,
  }));
  const detected = entries.filter((e) => e.category === 'malicious').length;
  return {
    verdict: 'malicious',
    // Without embedded scans (real answers can lack them), the listing itself is the row.
    entries:
      entries.length > 0
        ? entries
        : [{ name: 'VirusShare', category: 'malicious', detail: 'in the malware corpus' }],
    summary:
      scans.length > 0
        ? `in the malware corpus · ${detected}/${scans.length} VirusTotal engines`
        : 'in the malware corpus',
    ...(link ? { link } : {}),
  };
}
