// Recorded Future Triage API: https://tria.ge/docs/cloud-api/
import type { Category, Entry, HashRef } from '../../model/report.js';
import { joinParts, labelled, loadSchemas, plural, unique } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { Summary } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

const WEB = 'https://tria.ge';

/**
 * Triage's documented score bands (https://tria.ge/docs/scoring/): 10 known bad, 8–9 likely
 * malicious, 5–7 shows suspicious behaviour, 2–4 likely benign, 1 no (potentially) malicious
 * behaviour. No score ("N/A": incomplete report) is undetected.
 */
export function scoreCategory(score: number | null | undefined): Category {
  if (score === null || score === undefined || score < 1) return 'undetected';
  if (score >= 8) return 'malicious';
  if (score >= 5) return 'suspicious';
  return 'clean';
}

export const triage = defineService({
  id: 'triage',
  displayName: 'Recorded Future Triage',
  aliases: ['tria.ge'],
  kind: 'sandbox',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'required', signup: 'https://tria.ge/signup' },
  baseUrl: 'https://tria.ge',
  // Triage does not document a request rate for the public cloud API: a conservative
  // 1 request / 2 s, counted per request (a found sample costs two: search, then summary).
  rateLimit: {
    requests: 1,
    perSeconds: 2,
    source: 'https://tria.ge/docs/cloud-api/samples/',
    basis: 'conservative',
  },
  // A search, then the summary of the newest reported sample.
  requestsPerLookup: 2,
  docs: 'https://tria.ge/docs/cloud-api/samples/',
  link: (hash) => `${WEB}/s?q=${hash.value}`,
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    const headers = { authorization: `Bearer ${ctx.apiKey ?? ''}` };
    const search = await ctx.http.request({
      path: '/api/v0/search',
      query: { query: searchQuery(hash) },
      headers,
    });
    const { searchSchema, summarySchema } = await loaded;
    const samples = search.decode(searchSchema).data;
    if (samples.length === 0) return null;
    // Newest first; only a reported sample has a score worth reading.
    const reported = samples.find((s) => s.status === 'reported');
    if (!reported) {
      const first = samples[0]?.id ?? '';
      return {
        verdict: 'undetected',
        entries: [],
        summary: `${plural(samples.length, 'sample')}, analysis not finished`,
        link: `${WEB}/${first}`,
      };
    }
    const res = await ctx.http.request({
      path: `/api/v0/samples/${encodeURIComponent(reported.id)}/summary`,
      headers,
    });
    return toFinding(res.decode(summarySchema), reported.id);
  },
});

function searchQuery(hash: HashRef): string {
  return `${hash.type}:${hash.value}`;
}

export function toFinding(summary: Summary, sampleId: string): Finding {
  const tasks = Object.entries(summary.tasks ?? {});
  // Behavioural runs are the sandbox reports; the static task rarely carries a score.
  const scored = tasks.filter(([, t]) => t.kind !== 'static' && t.score !== null && t.score !== undefined);
  const entries: Entry[] = scored.map(([id, t]) => ({
    name: joinParts(taskName(id, summary.sample), t.platform),
    category: scoreCategory(t.score),
    detail: t.tags?.length ? t.tags.join(', ') : null,
  }));
  const score = summary.score ?? maxScore(scored.map(([, t]) => t.score));
  const verdict = scoreCategory(score);
  if (entries.length === 0) entries.push({ name: sampleId, category: verdict, detail: null });
  const families = unique(
    tasks.flatMap(([, t]) =>
      (t.tags ?? []).filter((tag) => tag.startsWith('family:')).map((tag) => tag.slice(7)),
    ),
  );
  const line = joinParts(
    score === null || score === undefined ? 'no score' : `score ${score}/10`,
    labelled('family', families),
  );
  return { verdict, entries, summary: line, link: `${WEB}/${sampleId}` };
}

function taskName(taskId: string, sampleId: string): string {
  return taskId.startsWith(`${sampleId}-`) ? taskId.slice(sampleId.length + 1) : taskId;
}

function maxScore(scores: (number | null | undefined)[]): number | null {
  const known = scores.filter((s): s is number => typeof s === 'number');
  return known.length > 0 ? Math.max(...known) : null;
}
