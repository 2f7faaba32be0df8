// CAPE sandbox REST API v2: https://capesandbox.com/apiv2/ (docs: https://capev2.readthedocs.io/en/latest/usage/api.html)

import { AuthError, BadResponseError, RateLimitError, UnavailableError } from '../../errors.js';
import type { Category, Entry } from '../../model/report.js';
import { worstVerdict } from '../../model/verdict.js';
import { joinDetail, joinParts, labelled, loadSchemas, unique } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { TaskView } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

/** Each task view is one more request against a 5/min budget: read the newest two reports. */
const MAX_TASKS = 2;

/**
 * CAPE's own thresholds (lib/cuckoo/common/scoring.py `calc_scoring`): ≥ 7 "Malicious", ≥ 4
 * "Suspicious", above 0 "Clean"/"Benign", 0 "Undetected" (nothing triggered, or the sample never
 * ran). A family detection is CAPE's "Malicious-Known" (score 10) whatever the stored score says.
 */
export function categoryOf(malscore: number | null | undefined, families: readonly string[]): Category {
  if (families.length > 0) return 'malicious';
  if (malscore == null) return 'undetected';
  if (malscore >= 7) return 'malicious';
  if (malscore >= 4) return 'suspicious';
  if (malscore > 0) return 'clean';
  return 'undetected';
}

const PUBLIC_WEB = 'https://capesandbox.com';

export const cape = defineService({
  id: 'cape',
  displayName: 'CAPE Sandbox',
  kind: 'sandbox',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'optional', signup: 'https://capesandbox.com/accounts/signup/' },
  // The public instance; self-hosted CAPE via TI_CHECK_CAPE_URL.
  baseUrl: 'https://capesandbox.com',
  // CAPE's API throttling: "Default 5/m" per user (CAPE docs, "CAPE throttling").
  rateLimit: {
    requests: 5,
    perSeconds: 60,
    source: 'https://capev2.readthedocs.io/en/latest/usage/api.html',
    basis: 'documented',
  },
  // A search, then one view per reported task read.
  requestsPerLookup: 1 + MAX_TASKS,
  docs: 'https://capesandbox.com/apiv2/',
  link: (hash) => `${PUBLIC_WEB}/analysis/search/${hash.value}/`,
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    const headers: Record<string, string> = ctx.apiKey ? { authorization: `Token ${ctx.apiKey}` } : {};
    const answer = await ctx.http.request({
      path: `/apiv2/tasks/search/${hash.type}/${hash.value}/`,
      headers,
    });
    const { searchSchema, viewSchema } = await loaded;
    const search = answer.decode(searchSchema);
    if (search.error === true) throw capeError(search.error_value);
    // Only finished tasks have a score; pending/running ones are not an answer yet.
    const reported = search.data
      .filter((t) => t.status === 'reported')
      .sort((a, b) => b.id - a.id)
      .slice(0, MAX_TASKS);
    if (reported.length === 0) return null;
    const views: TaskView[] = [];
    for (const t of reported) {
      const view = (await ctx.http.request({ path: `/apiv2/tasks/view/${t.id}/`, headers })).decode(
        viewSchema,
      );
      if (view.error === true) throw capeError(view.error_value);
      views.push(view.data);
    }
    return toFinding(views, ctx.baseUrl.replace(/\/+$/, ''));
  },
});

/** The public instance serves its web pages at the API origin; so does a self-hosted CAPE. */
export function toFinding(views: readonly TaskView[], webOrigin = PUBLIC_WEB): Finding {
  const rows = views.map((v) => {
    const families = v.detections ?? [];
    const category = categoryOf(v.malscore, families);
    const entry: Entry = {
      name: `task ${v.id}`,
      category,
      detail: joinDetail(
        v.malscore != null ? `malscore ${v.malscore}/10` : 'no malscore',
        families.join(', '),
        v.target,
      ),
    };
    return { view: v, entry };
  });
  const verdict = worstVerdict(rows.map((r) => r.entry.category)) ?? 'undetected';
  const worst = rows.find((r) => r.entry.category === verdict) ?? rows[0];
  const families = unique(rows.flatMap((r) => r.view.detections ?? []));
  return {
    verdict,
    entries: rows.map((r) => r.entry),
    summary:
      joinParts(
        worst?.view.malscore != null ? `score ${worst.view.malscore}/10` : null,
        labelled('family', families),
      ) || undefined,
    link: `${webOrigin}/analysis/${worst?.view.id}/`,
  };
}

/** An `{error: true, error_value}` answer (HTTP 200) as one of our error classes. */
function capeError(value: string | null | undefined): Error {
  const message = `CAPE: ${value || 'request refused'}`;
  if (/auth|token|credential|permission|not allowed/i.test(value ?? '')) return new AuthError(message);
  if (/throttl|rate|limit/i.test(value ?? '')) return new RateLimitError(message);
  if (/disabled/i.test(value ?? '')) return new UnavailableError(message);
  return new BadResponseError(message);
}
