// PolySwarm REST API v3: https://docs.polyswarm.io/consumers/polyswarm-rest-api-v3
import type { HashRef } from '../../normalize/model.js';
import { joinParts, sha256Link } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import { type SearchAnswer, searchAnswer } from './schema.js';

const permalink = (sha256: string) => `https://polyswarm.network/scan/results/file/${sha256}`;

export const polyswarm = defineService({
  id: 'polyswarm',
  displayName: 'PolySwarm',
  aliases: ['ps'],
  kind: 'multi-engine',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'required', signup: 'https://polyswarm.network/account/api-keys' },
  baseUrl: 'https://api.polyswarm.network',
  // "Community (free) users have a limit of 60 calls per hour"
  // (https://docs.polyswarm.io/consumers/polyswarm-rest-api-v3). Per-feature monthly quotas
  // depend on the plan and are not published, so no daily cap is set.
  rateLimit: {
    requests: 60,
    perSeconds: 3600,
    source: 'https://docs.polyswarm.io/consumers/polyswarm-rest-api-v3',
  },
  docs: 'https://docs.polyswarm.io/consumers/polyswarm-rest-api-v3',
  link: (hash) => permalink(hash.value),
  async lookup(hash, ctx) {
    const res = await ctx.http.request({
      path: `/v3/search/hash/${hash.type}`,
      query: { hash: hash.value, community: 'default' },
      // The raw key is the whole header value, no "Bearer" prefix.
      headers: { authorization: ctx.apiKey ?? '' },
    });
    // 204 No Content (empty body) is PolySwarm's "no results". A 404 stays an error (the HTTP
    // layer's default): it is not the recorded not-found answer, and reading it as a miss could
    // hide a moved API.
    if (res.status === 204) return null;
    return toFinding(res.decode(searchAnswer), hash);
  },
});

export function toFinding(answer: SearchAnswer, asked: HashRef): Finding | null {
  if (!answer) return null;
  const summary = joinParts(
    answer.polyscore == null ? undefined : `polyscore ${answer.polyscore.toFixed(2)}`,
    answer.family && `family: ${answer.family}`,
  );
  return {
    entries: answer.entries,
    ...(summary ? { summary } : {}),
    // The web page is keyed by SHA-256: an MD5/SHA-1 lookup links to the file it resolved to.
    ...sha256Link(asked, answer.sha256, permalink),
  };
}
