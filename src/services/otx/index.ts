// AlienVault OTX DirectConnect API v1: https://otx.alienvault.com/api
import type { Category, Entry } from '../../model/report.js';
import { joinDetail, joinParts, labelled, loadSchemas, plural, unique } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { OtxGeneral } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

const MAX_TAGS = 5;

export const otx = defineService({
  id: 'otx',
  displayName: 'AlienVault OTX',
  aliases: ['alienvault'],
  kind: 'reputation',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'required', signup: 'https://otx.alienvault.com/api' },
  baseUrl: 'https://otx.alienvault.com',
  // OTX publishes no numeric limit for keyed API use (https://otx.alienvault.com/api); one request a
  // second is a conservative pick that stays far under what the service tolerates in practice.
  rateLimit: { requests: 1, perSeconds: 1, source: 'https://otx.alienvault.com/api', basis: 'conservative' },
  docs: 'https://otx.alienvault.com/api',
  link: (hash) => `https://otx.alienvault.com/indicator/file/${hash.value}`,
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    const res = await ctx.http.request({
      path: `/api/v1/indicators/file/${hash.value}/general`,
      headers: { 'X-OTX-API-KEY': ctx.apiKey ?? '' },
      // OTX answers 404 for indicators it has never indexed.
      accept: [404],
    });
    const { otxGeneral } = await loaded;
    if (res.status === 404) return null;
    return toFinding(res.decode(otxGeneral));
  },
});

/**
 * OTX has no verdict of its own. A pulse is a community report that lists the hash; a pulse that
 * names a malware family is a report that the file *is* that malware.
 *   - no pulse                         → not found
 *   - a pulse or `related` names a family → malicious
 *   - pulses, but no family anywhere     → suspicious
 */
export function toFinding(body: OtxGeneral): Finding | null {
  const { pulses, related } = body.pulse_info;
  if (pulses.length === 0 && body.pulse_info.count === 0) return null;

  const entries: Entry[] = pulses.map((pulse) => {
    const tags = (pulse.tags ?? []).slice(0, MAX_TAGS);
    const named = pulse.malware_families.length > 0;
    return {
      name: pulse.name,
      category: named ? 'malicious' : 'suspicious',
      detail: joinDetail(labelled('family', pulse.malware_families), tags.join(', ')),
    };
  });

  const allFamilies = unique([
    ...pulses.flatMap((pulse) => pulse.malware_families),
    ...(related?.alienvault?.malware_families ?? []),
    ...(related?.other?.malware_families ?? []),
  ]);
  const verdict: Category = allFamilies.length > 0 ? 'malicious' : 'suspicious';
  const count = Math.max(body.pulse_info.count, pulses.length);
  const summary = joinParts(plural(count, 'pulse'), labelled('family', allFamilies));
  return { entries, verdict, summary };
}
