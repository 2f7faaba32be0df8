// Joe Sandbox web API v2: https://jbxcloud.joesecurity.org/userguide?sphinxurl=usage/webapi.html

import { AuthError, BadResponseError, RateLimitError } from '../../errors.js';
import type { HttpResponse } from '../../http/client.js';
import type { Category, Entry } from '../../model/report.js';
import { safeParse } from '../../model/safe-parse.js';
import { worstVerdict } from '../../model/verdict.js';
import { joinDetail, loadSchemas, safeJson } from '../kit.js';
import { defineService, type Finding, type LookupContext } from '../types.js';
import type { AnalysisInfo, Detection, JoeError } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

/** The public search page, for a hash with no analysis to link (the cloud API has no search page). */
const PUBLIC_WEB = 'https://www.joesandbox.com';
const CLOUD = 'https://jbxcloud.joesecurity.org';
/** A popular hash has dozens of analyses: read the newest few, one request each. */
const MAX_ANALYSES = 3;

export const CATEGORY: Record<Detection, Category> = {
  malicious: 'malicious',
  suspicious: 'suspicious',
  clean: 'clean',
  unknown: 'undetected',
};

/** Joe's error codes (jbxapi.py `ApiError` subclasses). */
const INVALID_API_KEY = 4;
const PERMISSION_DENIED = 7;

export const joesandbox = defineService({
  id: 'joesandbox',
  displayName: 'Joe Sandbox',
  aliases: ['js', 'joe'],
  kind: 'sandbox',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'required', signup: 'https://jbxcloud.joesecurity.org/' },
  // Cloud by default; on-premise users set TI_CHECK_JOESANDBOX_URL to their server.
  baseUrl: CLOUD,
  // Joe publishes no numeric API limit: quotas depend on the licence (see `account/info`).
  // 6/min is a conservative default of ours.
  rateLimit: {
    requests: 6,
    perSeconds: 60,
    source: 'https://jbxcloud.joesecurity.org/userguide?sphinxurl=usage/webapi.html',
    basis: 'conservative',
  },
  // A search, then one info request per analysis read.
  requestsPerLookup: 1 + MAX_ANALYSES,
  docs: 'https://jbxcloud.joesecurity.org/userguide?sphinxurl=usage/webapi.html',
  link: (hash) => `${PUBLIC_WEB}/search?q=${hash.value}`,
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    const answer = await call(ctx, '/api/v2/analysis/search', { q: hash.value });
    const { infoSchema, searchSchema } = await loaded;
    const found = answer.decode(searchSchema);
    if (found.data.length === 0) return null;
    // Newest first: webids grow over time.
    const webids = [...new Set(found.data.map((a) => a.webid))]
      .sort((a, b) => Number(b) - Number(a))
      .slice(0, MAX_ANALYSES);
    const infos: AnalysisInfo[] = [];
    for (const webid of webids) {
      infos.push((await call(ctx, '/api/v2/analysis/info', { webid })).decode(infoSchema).data);
    }
    return toFinding(infos, ctx.baseUrl.replace(/\/+$/, ''));
  },
});

/** A form POST with the key in the body; Joe's in-body errors become our error classes. */
async function call(ctx: LookupContext, path: string, form: Record<string, string>): Promise<HttpResponse> {
  const res = await ctx.http.request({
    method: 'POST',
    path,
    // Joe Sandbox Cloud refuses API calls until its terms are accepted (`accept-tac=1`, as jbxapi
    // sends); on-premise servers ignore the field.
    form: { apikey: ctx.apiKey ?? '', 'accept-tac': '1', ...form },
    // Joe explains 400/403 in an `errors` body: read it rather than a bare status.
    accept: [400, 403],
  });
  const { errorEnvelope } = await schemas();
  const parsed = safeParse(errorEnvelope, safeJson(res.text));
  if (parsed.success) throw joeError(parsed.data.errors[0] as JoeError);
  if (res.status >= 400) {
    if (res.status === 403) throw new AuthError(`HTTP 403${describeBody(res.text)}`);
    throw new BadResponseError(`HTTP ${res.status}${describeBody(res.text)}`);
  }
  return res;
}

// The key travels in the form body; the run redacts it (in any encoding, whole or in part) from
// every message, so nothing here scrubs by hand.
function joeError(error: JoeError): Error {
  const message = `Joe Sandbox: ${error.message}`;
  if (/quota|limit|too many/i.test(error.message)) return new RateLimitError(message);
  if (error.code === INVALID_API_KEY || error.code === PERMISSION_DENIED || /api ?key/i.test(error.message)) {
    return new AuthError(message);
  }
  return new BadResponseError(message);
}

/**
 * The web report lives on the server that was asked: Joe Sandbox Cloud at its API origin, an
 * on-premise server under its own base URL (`/analysis/<webid>/0/html`, as Joe's links read).
 */
export function toFinding(infos: readonly AnalysisInfo[], webOrigin = CLOUD): Finding | null {
  const done = infos.filter((a) => a.detection != null);
  if (done.length === 0) return null;
  const entries: Entry[] = done.map((a) => ({
    name: a.filename ? `${a.webid} · ${a.filename}` : a.webid,
    category: CATEGORY[a.detection as Detection],
    detail: joinDetail(
      a.detection,
      a.score != null ? `score ${a.score}` : null,
      a.classification,
      a.threatname !== 'Unknown' && a.threatname,
    ),
  }));
  const verdict = worstVerdict(entries.map((e) => e.category)) ?? 'undetected';
  // Link the analysis that decided the verdict.
  const worst = done[entries.findIndex((e) => e.category === verdict)] ?? done[0];
  return {
    verdict,
    entries,
    ...(worst?.score != null ? { summary: `score ${worst.score}` } : {}),
    link: `${webOrigin}/analysis/${worst?.webid}/0/html`,
  };
}

function describeBody(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return flat ? `: ${flat}` : '';
}
