// __DISPLAY_NAME__: __DOCS_URL__
// Layout: schema.ts holds the zod schemas (and the vendor's value lists); this file the definition and the
// mapping to ti-check's model. Shared helpers (joinDetail, plural, sha256Link, safeJson…): ../kit.ts.
import { loadSchemas } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { Answer } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

export const __CAMEL_ID__ = defineService({
  id: '__ID__',
  displayName: '__DISPLAY_NAME__',
  // Short names users may type instead of the id (lower case, unique across services), e.g. ['vt'].
  aliases: [],
  kind: 'reputation',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'required', signup: '__DOCS_URL__' },
  // The API origin only: request paths carry the full API path, TI_CHECK___ENV_ID___URL replaces it.
  baseUrl: 'https://api.example.com',
  // Cite where the vendor documents its free-tier limit (counted per HTTP request). A lookup that
  // can make more than one request (a search, then a report) says the most: `requestsPerLookup: 2`.
  rateLimit: { requests: 4, perSeconds: 60, source: '__DOCS_URL__', basis: 'conservative' },
  docs: '__DOCS_URL__',
  link: (hash) => `https://www.example.com/file/${hash.value}`,
  async lookup(hash, ctx) {
    // The schemas load with the first lookup, not at start-up (a run that asks no vendor builds
    // none), and while the request is on its way: ask for them, send, then await them (loadSchemas).
    const loaded = schemas();
    const res = await ctx.http.request({
      path: `/api/v1/files/${hash.value}`,
      headers: { 'x-apikey': ctx.apiKey ?? '' },
      // 404 is this vendor's "not found": an answer, not an error.
      accept: [404],
    });
    const { answerSchema } = await loaded;
    if (res.status === 404) return null;
    return toFinding(res.decode(answerSchema));
  },
});

export function toFinding(answer: Answer): Finding | null {
  if (!answer.found) return null;
  const verdict = answer.verdict ?? 'undetected';
  return { verdict, entries: [{ name: '__DISPLAY_NAME__', category: verdict, detail: answer.name ?? null }] };
}
