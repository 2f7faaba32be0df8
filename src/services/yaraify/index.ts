// YARAify API by abuse.ch: https://yaraify.abuse.ch/api/
import type { Category, Entry } from '../../model/report.js';
import { queryAbuseCh } from '../abusech.js';
import { joinDetail, loadSchemas } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { YaraifyReport } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

const samplePage = (sha256: string) => `https://yaraify.abuse.ch/sample/${sha256}/`;

export const yaraify = defineService({
  id: 'yaraify',
  displayName: 'YARAify',
  kind: 'reputation',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'required', signup: 'https://auth.abuse.ch/' },
  baseUrl: 'https://yaraify-api.abuse.ch',
  // abuse.ch documents no numeric limit, only fair use (https://yaraify.abuse.ch/api/); one request
  // a second is a conservative pick.
  rateLimit: { requests: 1, perSeconds: 1, source: 'https://yaraify.abuse.ch/api/', basis: 'conservative' },
  docs: 'https://yaraify.abuse.ch/api/#query-filehash',
  // Sample pages are keyed by SHA-256; for other hashes the finding carries the SHA-256 link.
  link: (hash) => (hash.type === 'sha256' ? samplePage(hash.value) : 'https://yaraify.abuse.ch/'),
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    const res = await queryAbuseCh(ctx, {
      name: 'YARAify',
      path: '/api/v1/',
      body: { json: { query: 'lookup_hash', search_term: hash.value } },
      // Both words mean "YARAify has never seen this file".
      notFound: ['no_results', 'hash_not_found'],
    });
    const { yaraifyReport } = await loaded;
    return res && toFinding(res.decode(yaraifyReport));
  },
});

/**
 * - a ClamAV signature names the file as malware → malicious (PUA.* signatures → suspicious)
 * - a YARA rule hit says the file has traits of something → suspicious
 * - scanned, nothing hit → undetected
 */
export function toFinding(report: YaraifyReport): Finding {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  const add = (key: string, entry: Entry) => {
    if (seen.has(key)) return;
    seen.add(key);
    entries.push(entry);
  };
  for (const task of report.tasks) {
    for (const signature of task.clamav_results) {
      add(`clamav:${signature}`, { name: signature, category: clamavCategory(signature), detail: 'ClamAV' });
    }
  }
  for (const task of report.tasks) {
    for (const hit of task.static_results) {
      const detail = joinDetail(hit.author, hit.description);
      add(`yara:${hit.rule_name}`, { name: hit.rule_name, category: 'suspicious', detail });
    }
  }
  const verdict: Category = entries.some((entry) => entry.category === 'malicious')
    ? 'malicious'
    : entries.length > 0
      ? 'suspicious'
      : 'undetected';
  const clamav = [...seen].filter((key) => key.startsWith('clamav:')).length;
  const yara = seen.size - clamav;
  const summary = entries.length === 0 ? 'no YARA or ClamAV hits' : `${yara} YARA · ${clamav} ClamAV`;
  return { entries, verdict, summary, ...(report.sha256 ? { link: samplePage(report.sha256) } : {}) };
}

function clamavCategory(signature: string): Category {
  return signature.startsWith('PUA.') ? 'suspicious' : 'malicious';
}
