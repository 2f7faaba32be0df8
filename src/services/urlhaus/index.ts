// URLhaus API by abuse.ch: https://urlhaus-api.abuse.ch/
import { AuthError, BadResponseError } from '../../errors.js';
import { defineService, type Finding } from '../types.js';
import { type UrlhausPayload, urlhausPayload, urlhausStatus } from './schema.js';

export const urlhaus = defineService({
  id: 'urlhaus',
  displayName: 'URLhaus',
  kind: 'repository',
  // Payloads are keyed by MD5 and SHA-256 only.
  hashTypes: ['sha256', 'md5'],
  auth: { key: 'required', signup: 'https://auth.abuse.ch/' },
  baseUrl: 'https://urlhaus-api.abuse.ch',
  // abuse.ch documents no numeric limit, only fair use (https://urlhaus-api.abuse.ch/); one request
  // a second is a conservative pick.
  rateLimit: { requests: 1, perSeconds: 1, source: 'https://urlhaus-api.abuse.ch/' },
  docs: 'https://urlhaus-api.abuse.ch/#payloadinfo',
  link: (hash) => `https://urlhaus.abuse.ch/browse.php?search=${hash.value}`,
  async lookup(hash, ctx) {
    const res = await ctx.http.request({
      method: 'POST',
      path: '/v1/payload/',
      headers: { 'Auth-Key': ctx.apiKey ?? '' },
      form: hash.type === 'md5' ? { md5_hash: hash.value } : { sha256_hash: hash.value },
    });
    const { query_status: status } = res.decode(urlhausStatus);
    if (status === 'ok') return toFinding(res.decode(urlhausPayload));
    if (status === 'no_results') return null;
    if (status === 'unknown_auth_key') throw new AuthError('URLhaus does not know this Auth-Key');
    // invalid_md5, invalid_sha256, http_post_expected, … : never "not found".
    throw new BadResponseError(`URLhaus answered query_status "${status}"`);
  },
});

/** URLhaus only stores payloads that malware URLs delivered: a listed payload is malware. */
export function toFinding(payload: UrlhausPayload): Finding {
  const count = payload.urls.length;
  return {
    verdict: 'malicious',
    summary: [
      `delivered by ${count} malware URL${count === 1 ? '' : 's'}`,
      payload.signature ? `signature: ${payload.signature}` : '',
    ]
      .filter(Boolean)
      .join(' · '),
    entries: payload.urls.map((row) => ({
      name: row.url,
      category: 'malicious',
      detail: [row.url_status, row.filename, payload.signature].filter(Boolean).join(' · ') || null,
    })),
  };
}
