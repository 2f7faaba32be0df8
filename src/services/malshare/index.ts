// MalShare API: https://malshare.com/doc.php
import { AuthError, RateLimitError } from '../../errors.js';
import type { Entry } from '../../model/report.js';
import { joinParts, loadSchemas } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { Details } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

const NAME = 'MalShare';

export const malshare = defineService({
  id: 'malshare',
  displayName: NAME,
  aliases: ['ms'],
  kind: 'repository',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'required', signup: 'https://malshare.com/register.php' },
  baseUrl: 'https://malshare.com',
  // MalShare shows each key's daily allowance on the account page rather than in its docs;
  // integrations (Yeti) work to 1,000 calls a day. Conservative: 1 request / 2 s, 1,000 a day.
  rateLimit: {
    requests: 1,
    perSeconds: 2,
    daily: 1000,
    source: 'https://malshare.com/doc.php',
    basis: 'conservative',
  },
  docs: 'https://malshare.com/doc.php',
  link: (hash) => `https://malshare.com/sample.php?action=detail&hash=${hash.value}`,
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    // The key has to travel in the query string; the HTTP layer redacts it from every message.
    const res = await ctx.http.request({
      path: '/api.php',
      query: { api_key: ctx.apiKey ?? '', action: 'details', hash: hash.value },
      // Some deployments send "Sample not found" with 404 rather than 200.
      accept: [404],
    });
    const { detailsSchema } = await loaded;
    // MalShare answers misses and most errors in plain text, not JSON: read the words first.
    const text = res.text.trim();
    if (!text.startsWith('{')) {
      if (/sample not found/i.test(text)) return null;
      if (/request limit|limit reached|too many requests/i.test(text)) {
        throw new RateLimitError('MalShare: daily request limit reached');
      }
      if (/api key|not activated|unauthori[sz]ed/i.test(text)) {
        throw new AuthError('MalShare refused the API key');
      }
    }
    if (res.status === 404) return null;
    return toFinding(res.decode(detailsSchema));
  },
});

export function toFinding(details: Details): Finding {
  // Listed in a malware repository is MalShare's whole verdict.
  const entries: Entry[] = [{ name: NAME, category: 'malicious', detail: details.F_TYPE ?? null }];
  for (const rule of details.YARA ?? [])
    entries.push({ name: rule, category: 'malicious', detail: 'YARA rule' });
  for (const source of details.SOURCES ?? [])
    entries.push({ name: source, category: 'malicious', detail: 'source' });
  return { verdict: 'malicious', entries, summary: joinParts('in the malware repository', details.F_TYPE) };
}
