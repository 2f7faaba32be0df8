// InQuest Labs DFI API: https://labs.inquest.net/docs/
import { BadResponseError } from '../../errors.js';
import type { Category, Entry, HashRef } from '../../model/report.js';
import { joinParts, loadSchemas, plural, sha256Link } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { Classification, DfiRecord } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

const NAME = 'InQuest DFI';
const WEB = 'https://labs.inquest.net';
const samplePage = (sha256: string) => `${WEB}/dfi/sha256/${sha256}`;

export const CLASSIFICATION_CATEGORY: Record<Classification, Category> = {
  MALICIOUS: 'malicious',
  BENIGN: 'clean',
  UNKNOWN: 'undetected',
};

/** Alert categories are heuristics, not verdicts: only the two loaded ones colour a row. */
function alertCategory(category: string | null | undefined): Category {
  switch (category?.toLowerCase()) {
    case 'malicious':
      return 'malicious';
    case 'suspicious':
    case 'evasive':
      return 'suspicious';
    default:
      return 'undetected';
  }
}

export const inquest = defineService({
  id: 'inquest',
  displayName: 'InQuest Labs',
  kind: 'reputation',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'optional', signup: 'https://labs.inquest.net/' },
  baseUrl: 'https://labs.inquest.net',
  // "Users without an API key are rate limited to 1,337 requests in 24-hour sliding window"
  // (InQuest's python-inquestlabs README); the 1 request/s burst is our own, conservative.
  rateLimit: {
    requests: 1,
    perSeconds: 1,
    daily: 1337,
    source: 'https://github.com/InQuest/python-inquestlabs#readme',
    basis: 'documented-daily',
  },
  docs: 'https://labs.inquest.net/docs/',
  // Only sha256 has a page of its own; the other hashes land on the DFI index.
  link: (hash) => (hash.type === 'sha256' ? samplePage(hash.value) : `${WEB}/dfi`),
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    // Keyless works (with the lower limit); InQuest's own client sends the key as `Basic <key>`.
    const headers = ctx.apiKey ? { authorization: `Basic ${ctx.apiKey}` } : undefined;
    if (hash.type === 'sha256') {
      const res = await ctx.http.request({
        path: '/api/dfi/details',
        query: { sha256: hash.value },
        ...(headers ? { headers } : {}),
        // An unknown sha256 is a 404 with an empty body.
        accept: [404],
      });
      if (res.status === 404) return null;
      const { detailsSchema } = await loaded;
      return toFinding(unwrap(res.decode(detailsSchema)), hash);
    }
    const res = await ctx.http.request({
      path: `/api/dfi/search/hash/${hash.type}`,
      query: { hash: hash.value },
      ...(headers ? { headers } : {}),
    });
    const { searchSchema } = await loaded;
    const [record] = unwrap(res.decode(searchSchema));
    return record ? toFinding(record, hash) : null;
  },
});

function unwrap<T>(answer: { success: true; data: T } | { success: false; error?: string | null }): T {
  if (answer.success) return answer.data;
  throw new BadResponseError(`InQuest answered success=false: ${answer.error ?? 'no reason given'}`);
}

export function toFinding(record: DfiRecord, asked: HashRef): Finding {
  const verdict = CLASSIFICATION_CATEGORY[record.classification];
  const alerts = record.inquest_alerts ?? [];
  const entries: Entry[] =
    alerts.length > 0
      ? alerts.map((a) => ({
          name: a.title,
          category: alertCategory(a.category),
          detail: [a.category, a.description].filter(Boolean).join(': ') || null,
        }))
      : [{ name: NAME, category: verdict, detail: record.classification }];
  return {
    verdict,
    entries,
    summary: joinParts(
      record.classification,
      record.file_type,
      alerts.length > 0 && plural(alerts.length, 'alert'),
    ),
    // Asked by md5/sha1: the record's sha256 names its page.
    ...sha256Link(asked, record.sha256.toLowerCase(), samplePage),
  };
}
