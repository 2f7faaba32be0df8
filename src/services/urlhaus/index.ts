// URLhaus API by abuse.ch: https://urlhaus-api.abuse.ch/
import { queryAbuseCh } from '../abusech.js';
import { joinDetail, joinParts, loadSchemas, plural } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { UrlhausPayload } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

export const urlhaus = defineService({
  id: 'urlhaus',
  displayName: 'URLhaus',
  aliases: ['uh'],
  kind: 'repository',
  // Payloads are keyed by MD5 and SHA-256 only.
  hashTypes: ['sha256', 'md5'],
  auth: { key: 'required', signup: 'https://auth.abuse.ch/' },
  baseUrl: 'https://urlhaus-api.abuse.ch',
  // abuse.ch documents no numeric limit, only fair use (https://urlhaus-api.abuse.ch/); one request
  // a second is a conservative pick.
  rateLimit: { requests: 1, perSeconds: 1, source: 'https://urlhaus-api.abuse.ch/', basis: 'conservative' },
  docs: 'https://urlhaus-api.abuse.ch/#payloadinfo',
  link: (hash) => `https://urlhaus.abuse.ch/browse.php?search=${hash.value}`,
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    const res = await queryAbuseCh(ctx, {
      name: 'URLhaus',
      path: '/v1/payload/',
      body: { form: hash.type === 'md5' ? { md5_hash: hash.value } : { sha256_hash: hash.value } },
      notFound: ['no_results'],
    });
    const { urlhausPayload } = await loaded;
    return res && toFinding(res.decode(urlhausPayload));
  },
});

/** URLhaus only stores payloads that malware URLs delivered: a listed payload is malware. */
export function toFinding(payload: UrlhausPayload): Finding {
  return {
    verdict: 'malicious',
    summary: joinParts(
      `delivered by ${plural(payload.urls.length, 'malware URL')}`,
      payload.signature && `signature: ${payload.signature}`,
    ),
    entries: payload.urls.map((row) => ({
      name: row.url,
      category: 'malicious',
      detail: joinDetail(row.url_status, row.filename, payload.signature),
    })),
  };
}
