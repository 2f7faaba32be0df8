// UnpacMe API v1: https://api.unpac.me/
import type { Category, Entry } from '../../model/report.js';
import { joinDetail, labelled, loadSchemas, unique } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { SearchAnswer, SearchResult } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

const WEB = 'https://www.unpac.me';

export const unpacme = defineService({
  id: 'unpacme',
  displayName: 'UnpacMe',
  kind: 'sandbox',
  // UnpacMe indexes samples (and their unpacked children) by sha256.
  hashTypes: ['sha256'],
  auth: { key: 'required', signup: 'https://www.unpac.me/account' },
  baseUrl: 'https://api.unpac.me',
  // UnpacMe documents minute/daily/monthly quotas (HTTP 429) but no numbers; 10/min is ours.
  rateLimit: { requests: 10, perSeconds: 60, source: 'https://api.unpac.me/', basis: 'conservative' },
  docs: 'https://api.unpac.me/',
  link: (hash) => `${WEB}/search?terms=${encodeURIComponent(btoa(`sha256:"${hash.value}"`))}`,
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    const res = await ctx.http.request({
      method: 'POST',
      path: '/api/v1/private/search/term/sha256',
      headers: { authorization: `Key ${ctx.apiKey ?? ''}` },
      // Search only the malware corpus: UnpacMe's goodware corpus is a separate (paid) query.
      json: { value: hash.value, repo_type: 'malware' },
      // "No results" is a 404 with a JSON note.
      accept: [404],
    });
    const { searchSchema } = await loaded;
    if (res.status === 404) return null;
    return toFinding(res.decode(searchSchema), hash.value);
  },
});

/**
 * A sample is malicious when UnpacMe's own classifier says `MALICIOUS` or a rule names a family
 * (UnpacMe's search UI does the same); otherwise it is only in the corpus: `undetected`.
 */
export function categoryOf(result: SearchResult): Category {
  const malicious = result.malwareid.some(
    (m) => m.classification_type?.toUpperCase() === 'MALICIOUS' || Boolean(m.malware_family),
  );
  return malicious ? 'malicious' : 'undetected';
}

export function toFinding(answer: SearchAnswer, sha256: string): Finding | null {
  if (answer.results.length === 0) return null;
  const rows = answer.results.map((result) => {
    const families = unique(result.malwareid.flatMap((m) => m.malware_family || []));
    const labels = unique(result.malwareid.map((m) => m.name)).filter(
      (label) => !families.some((f) => f.toLowerCase() === label.toLowerCase()),
    );
    const threat = result.malwareid.find((m) => m.threat_type)?.threat_type;
    const id = result.analysis[0]?.id;
    const entry: Entry = {
      name: id ? `analysis ${id}` : result.sha256,
      category: categoryOf(result),
      detail: joinDetail(
        labelled('family', families),
        labels.join(', '),
        threat,
        // The hash can be an unpacked child of the sample UnpacMe analysed.
        result.sha256.toLowerCase() !== sha256 && `unpacked from ${result.sha256.toLowerCase()}`,
      ),
    };
    return { result, entry, families, id };
  });
  const worst = rows.find((r) => r.entry.category === 'malicious') ?? rows[0];
  const families = unique(rows.flatMap((r) => r.families));
  return {
    verdict: worst?.entry.category ?? 'undetected',
    entries: rows.map((r) => r.entry),
    summary: labelled('family', families) ?? 'in the malware corpus, no family',
    ...(worst?.id ? { link: `${WEB}/results/${worst.id}?hash=${worst.result.sha256.toLowerCase()}` } : {}),
  };
}
