// Intezer Analyze API 2.0: https://analyze.intezer.com/api-docs.html
import { AuthError, RateLimitError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import type { Category } from '../../model/report.js';
import { parse } from '../../model/safe-parse.js';
import { loadSchemas, safeJson } from '../kit.js';
import { defineService, type Finding, type LookupContext } from '../types.js';
import type { IntezerVerdict, LatestAnalysis } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

const API = '/api/v2-0';
const NAME = 'Intezer Analyze';

export const VERDICT_CATEGORY: Record<IntezerVerdict, Category> = {
  malicious: 'malicious',
  known_malicious: 'malicious',
  suspicious: 'suspicious',
  trusted: 'clean',
  // Analysed, nothing bad found, but not vouched for either.
  neutral: 'undetected',
  no_threats: 'undetected',
  unknown: 'undetected',
  not_supported: 'undetected',
};

interface CachedToken {
  token: Promise<string>;
  /** Epoch ms after which we ask for a new one; undefined when Intezer did not say. */
  expiresAt?: number;
}

// Renew a little early so a token does not expire between the check and the request.
const EXPIRY_MARGIN_MS = 60_000;
const TOKEN = 'access-token';

/**
 * The access token, exchanged once per run and kept in the run's adapter state: one exchange serves
 * every file. Holding the promise (not the value) makes concurrent lookups share a single exchange.
 * The token is registered as a secret, so it is masked wherever the key is.
 */
function accessToken(ctx: LookupContext, fresh: boolean): Promise<string> {
  const cached = ctx.state.get(TOKEN) as CachedToken | undefined;
  if (
    !fresh &&
    cached &&
    (cached.expiresAt === undefined || cached.expiresAt - EXPIRY_MARGIN_MS > Date.now())
  ) {
    return cached.token;
  }
  const entry: CachedToken = { token: Promise.resolve('') };
  entry.token = (async () => {
    const res = await ctx.http.request({
      method: 'POST',
      path: `${API}/get-access-token`,
      json: { api_key: ctx.apiKey ?? '' },
      // Intezer answers a malformed or unknown key with 400 as well as 401.
      accept: [400],
    });
    if (res.status === 400) throw new AuthError('HTTP 400: Intezer refused the API key');
    const { accessTokenSchema } = await schemas();
    const answer = res.decode(accessTokenSchema);
    ctx.secret(answer.result);
    if (answer.expire_at) entry.expiresAt = answer.expire_at * 1000;
    return answer.result;
  })();
  // A failed exchange must not poison the state for the next file.
  entry.token.catch(() => {
    if (ctx.state.get(TOKEN) === entry) ctx.state.delete(TOKEN);
  });
  ctx.state.set(TOKEN, entry);
  return entry.token;
}

export const intezer = defineService({
  id: 'intezer',
  displayName: NAME,
  kind: 'sandbox',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'required', signup: 'https://analyze.intezer.com/account-details' },
  baseUrl: 'https://analyze.intezer.com',
  // Intezer publishes no request rate for API 2.0 (quota is per plan and answers 403/429):
  // a conservative 10 requests per minute, token exchanges included.
  rateLimit: {
    requests: 10,
    perSeconds: 60,
    source: 'https://analyze.intezer.com/api-docs.html',
    basis: 'conservative',
  },
  // The access-token exchange (once per run, or on renewal), then the analysis.
  requestsPerLookup: 2,
  docs: 'https://analyze.intezer.com/api-docs.html',
  link: (hash) => `https://analyze.intezer.com/files/${hash.value}`,
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    let res = await latest(ctx.http, hash.value, await accessToken(ctx, false));
    if (res.status === 401) {
      // The cached token expired early or was revoked: exchange once more, then give up.
      res = await latest(ctx.http, hash.value, await accessToken(ctx, true));
      if (res.status === 401) throw new AuthError('HTTP 401: Intezer refused a fresh access token');
    }
    if (res.status === 404) return null;
    const { errorBodySchema, latestAnalysisSchema } = await loaded;
    if (res.status === 403) {
      // Intezer's SDK: "Insufficient Permissions" is about the account, anything else is quota (a body
      // that is not JSON, too: the schema's catch reads it as no error).
      const { error } = parse(errorBodySchema, safeJson(res.text));
      if (error === 'Insufficient Permissions') throw new AuthError('HTTP 403: insufficient permissions');
      throw new RateLimitError('HTTP 403: Intezer quota exhausted');
    }
    return toFinding(res.decode(latestAnalysisSchema).result);
  },
});

function latest(http: HttpClient, hash: string, token: string) {
  return http.request({
    path: `${API}/files/${hash}`,
    headers: { authorization: `Bearer ${token}` },
    accept: [401, 403, 404],
  });
}

export function toFinding(analysis: LatestAnalysis): Finding {
  const verdict = VERDICT_CATEGORY[analysis.verdict];
  const label =
    analysis.sub_verdict && analysis.sub_verdict !== analysis.verdict
      ? `${analysis.verdict} (${analysis.sub_verdict})`
      : analysis.verdict;
  return {
    verdict,
    entries: [{ name: NAME, category: verdict, detail: analysis.family_name ?? label }],
    summary: analysis.family_name ? `${label} · family: ${analysis.family_name}` : label,
  };
}
