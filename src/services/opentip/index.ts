// Kaspersky OpenTIP API: https://opentip.kaspersky.com/Help/Doc_data/WorkingWithAPI.htm
import { RateLimitError } from '../../errors.js';
import type { Category, Entry } from '../../model/report.js';
import { joinParts, loadSchemas, plural } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { HashLookup, Zone } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

const NAME = 'Kaspersky OpenTIP';

export const ZONE_CATEGORY: Record<Zone, Category> = {
  Red: 'malicious',
  Orange: 'suspicious',
  Yellow: 'suspicious',
  Green: 'clean',
  Grey: 'undetected',
};

export const opentip = defineService({
  id: 'opentip',
  displayName: NAME,
  aliases: ['kaspersky'],
  kind: 'reputation',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'required', signup: 'https://opentip.kaspersky.com/token' },
  baseUrl: 'https://opentip.kaspersky.com',
  // OpenTIP publishes no number for its API quota, only that exceeding it answers 403:
  // a conservative 1 request / 2 s until Kaspersky documents one.
  rateLimit: {
    requests: 1,
    perSeconds: 2,
    source: 'https://opentip.kaspersky.com/Help/Doc_data/HashLookupAPI.htm',
    basis: 'conservative',
  },
  docs: 'https://opentip.kaspersky.com/Help/Doc_data/HashLookupAPI.htm',
  link: (hash) => `https://opentip.kaspersky.com/${hash.value}/`,
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    const res = await ctx.http.request({
      path: '/api/v1/search/hash',
      query: { request: hash.value },
      headers: { 'x-api-key': ctx.apiKey ?? '' },
      // 404: no lookup results. 403: Kaspersky's own client reads it as "quota or request
      // limit exceeded", not as a bad token (that is 401).
      accept: [403, 404],
    });
    const { hashLookupSchema } = await loaded;
    if (res.status === 404) return null;
    if (res.status === 403) throw new RateLimitError('HTTP 403: OpenTIP quota or request limit exceeded');
    if (res.text.trim() === '') return null;
    return toFinding(res.decode(hashLookupSchema));
  },
});

export function toFinding(report: HashLookup): Finding | null {
  const status = report.FileGeneralInfo?.FileStatus ?? null;
  // Grey without any file information is OpenTIP's "no data": the hash is unknown.
  if (report.Zone === 'Grey' && !report.FileGeneralInfo && !report.DetectionsInfo?.length) return null;
  const verdict = ZONE_CATEGORY[report.Zone];
  const detections = report.DetectionsInfo ?? [];
  const entries: Entry[] =
    detections.length > 0
      ? detections.map((d) => ({
          name: d.DetectionName,
          category: d.Zone ? ZONE_CATEGORY[d.Zone] : verdict,
          detail: d.DetectionMethod ?? null,
        }))
      : [
          {
            name: NAME,
            category: verdict,
            detail: joinParts(`${report.Zone} zone`, status),
          },
        ];
  const summary = joinParts(
    `zone ${report.Zone}`,
    status,
    detections.length > 0 && plural(detections.length, 'detection'),
  );
  return { verdict, entries, summary };
}
