// OPSWAT MetaDefender Cloud API v4: https://www.opswat.com/docs/mdcloud/metadefender-cloud-api-v4
import { BadResponseError } from '../../errors.js';
import { defineService } from '../types.js';
import { mdError, mdHashReport } from './schema.js';

/** MetaDefender's error code for "The hash was not found". */
const HASH_NOT_FOUND = 404003;

export const metadefender = defineService({
  id: 'metadefender',
  displayName: 'MetaDefender Cloud',
  aliases: ['md', 'opswat'],
  kind: 'multi-engine',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'required', signup: 'https://metadefender.com/' },
  baseUrl: 'https://api.metadefender.com',
  // Each apikey has its own daily limit per API family, shown in the account and in X-RateLimit-*
  // headers (https://www.opswat.com/docs/mdcloud/integrations/rate-limiting); no free-tier number is
  // published for hash lookups, so 10 requests/minute is a conservative pick.
  rateLimit: {
    requests: 10,
    perSeconds: 60,
    source: 'https://www.opswat.com/docs/mdcloud/integrations/rate-limiting',
  },
  docs: 'https://www.opswat.com/docs/mdcloud/metadefender-cloud-api-v4',
  link: (hash) => `https://metadefender.com/results/hash/${hash.value}`,
  async lookup(hash, ctx) {
    const res = await ctx.http.request({
      path: `/v4/hash/${hash.value}`,
      headers: { apikey: ctx.apiKey ?? '' },
      accept: [404],
    });
    if (res.status === 404) {
      const { error } = res.decode(mdError);
      if (error.code === HASH_NOT_FOUND) return null;
      throw new BadResponseError(`MetaDefender answered 404 with error code ${error.code}`);
    }
    const { entries, threatName } = res.decode(mdHashReport);
    if (!threatName) return { entries };
    // MetaDefender's own threat name, after the engine counts.
    return { entries, summary: `threat: ${threatName}` };
  },
});
