// CIRCL hashlookup, a public database of known files (NSRL, OS and package repositories): https://hashlookup.circl.lu/
import { BadResponseError } from '../../errors.js';
import type { Entry } from '../../model/report.js';
import { joinDetail, loadSchemas } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { HashlookupRecord } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

const ORIGIN = 'https://hashlookup.circl.lu';
const DIGEST_FIELD = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256' } as const;

export const hashlookup = defineService({
  id: 'hashlookup',
  displayName: 'CIRCL hashlookup',
  kind: 'known-good',
  // SHA-1 is hashlookup's primary key; NSRL rows often carry only MD5 and SHA-1, so SHA-256 comes last.
  hashTypes: ['sha1', 'md5', 'sha256'],
  auth: { key: 'none' },
  baseUrl: ORIGIN,
  // CIRCL documents no rate limit for the public service (https://www.circl.lu/services/hashlookup/);
  // one request a second is a conservative pick.
  rateLimit: {
    requests: 1,
    perSeconds: 1,
    source: 'https://www.circl.lu/services/hashlookup/',
    basis: 'conservative',
  },
  docs: 'https://hashlookup.circl.lu/',
  link: (hash) => `${ORIGIN}/lookup/${hash.type}/${hash.value}`,
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    const res = await ctx.http.request({ path: `/lookup/${hash.type}/${hash.value}`, accept: [404] });
    const { hashlookupMiss, hashlookupRecord } = await loaded;
    if (res.status === 404) {
      // hashlookup's own miss is a JSON message; a 404 page from anything else fails the schema.
      res.decode(hashlookupMiss);
      return null;
    }
    const record = res.decode(hashlookupRecord);
    // Fail closed: only a record that carries the very digest asked for is a hit.
    const echoed = record[DIGEST_FIELD[hash.type]];
    if (echoed?.toLowerCase() !== hash.value.toLowerCase()) {
      throw new BadResponseError(
        `answer is not a record of ${hash.type} ${hash.value} (its ${DIGEST_FIELD[hash.type]} is ${echoed ?? 'missing'})`,
      );
    }
    return {
      ...toFinding(record),
      hashes: { md5: record.MD5, sha1: record['SHA-1'], sha256: record['SHA-256'] },
    };
  },
});

/**
 * A hit means the file is catalogued as a published, known file: clean. CIRCL also marks some
 * catalogued hashes `KnownMalicious` (e.g. EICAR, from malshare.com); that marker wins.
 */
export function toFinding(record: HashlookupRecord): Finding {
  const trust = record['hashlookup:trust'];
  const known: Entry = {
    name: record.source || record.db || (record.ProductCode ? 'NSRL' : 'hashlookup'),
    category: 'clean',
    detail: joinDetail(
      record.FileName,
      record.ProductCode?.ProductName,
      trust == null ? undefined : `trust ${trust}/100`,
    ),
  };
  if (record.KnownMalicious) {
    return {
      verdict: 'malicious',
      summary: `known file, flagged malicious by ${record.KnownMalicious}`,
      entries: [{ name: record.KnownMalicious, category: 'malicious', detail: 'KnownMalicious' }, known],
    };
  }
  return {
    verdict: 'clean',
    summary: trust == null ? 'known file' : `known file · trust ${trust}/100`,
    entries: [known],
  };
}
