// ThreatFox API by abuse.ch: https://threatfox.abuse.ch/api/
import { queryAbuseCh } from '../abusech.js';
import { joinDetail, joinParts, labelled, loadSchemas, plural, unique } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { ThreatfoxIoc } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

export const threatfox = defineService({
  id: 'threatfox',
  displayName: 'ThreatFox',
  aliases: ['tf'],
  kind: 'repository',
  // search_hash takes MD5 or SHA-256 of a malware sample.
  hashTypes: ['sha256', 'md5'],
  auth: { key: 'required', signup: 'https://auth.abuse.ch/' },
  baseUrl: 'https://threatfox-api.abuse.ch',
  // abuse.ch documents no numeric limit, only fair use (https://threatfox.abuse.ch/api/); one request
  // a second is a conservative pick.
  rateLimit: { requests: 1, perSeconds: 1, source: 'https://threatfox.abuse.ch/api/', basis: 'conservative' },
  docs: 'https://threatfox.abuse.ch/api/#search-hash',
  link: (hash) => `https://threatfox.abuse.ch/browse.php?search=ioc%3A${hash.value}`,
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    const res = await queryAbuseCh(ctx, {
      name: 'ThreatFox',
      path: '/api/v1/',
      body: { json: { query: 'search_hash', hash: hash.value } },
      notFound: ['no_result'],
    });
    const { threatfoxIocs } = await loaded;
    if (!res) return null;
    const iocs = res.decode(threatfoxIocs);
    return iocs.length === 0 ? null : toFinding(iocs);
  },
});

/** Every IOC ThreatFox links to the sample (a C2, a payload URL…) says the sample is malware. */
export function toFinding(iocs: ThreatfoxIoc[]): Finding {
  const families = unique(iocs.flatMap((ioc) => ioc.malware_printable || []));
  return {
    verdict: 'malicious',
    summary: joinParts(plural(iocs.length, 'IOC'), labelled('family', families)),
    entries: iocs.map((ioc) => ({
      name: ioc.ioc,
      category: 'malicious',
      detail: joinDetail(
        ioc.malware_printable,
        ioc.threat_type,
        ioc.confidence_level == null ? undefined : `${ioc.confidence_level}%`,
      ),
    })),
  };
}
