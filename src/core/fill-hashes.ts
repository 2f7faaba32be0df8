/**
 * A lookup by MD5 or SHA-1 learns the file's other digests from the services that know it. The
 * target is completed with them — only from a service whose digests agree with every hash already
 * known (a vendor answering about another file fills nothing) — and each filled hash names its
 * source. Links built from the MD5/SHA-1 then point at the SHA-256 page where the service has one.
 */
import type { HashRef, ServiceResult, Target } from '../model/report.js';
import { HASH_TYPES } from '../model/report-values.js';
import { withFields } from '../model/with-fields.js';
import type { PreparedService } from './prepare.js';

export function fillHashes(target: Target, rows: readonly ServiceResult[]): Target {
  const missing = HASH_TYPES.filter((type) => !target[type]);
  if (missing.length === 0) return target;
  const filled: Target = { ...target };
  const from: NonNullable<Target['hashesFrom']> = {};
  for (const row of rows) {
    const hashes = row.status === 'found' ? row.hashes : undefined;
    if (!hashes) continue;
    const agrees = HASH_TYPES.every(
      (type) => !target[type] || !hashes[type] || hashes[type] === target[type],
    );
    // A row must name at least one hash the target already has: that is what ties it to this file.
    const tied = HASH_TYPES.some((type) => target[type] && hashes[type] === target[type]);
    if (!agrees || !tied) continue;
    for (const type of missing) {
      const value = hashes[type];
      if (value && !filled[type]) {
        filled[type] = value;
        from[type] = row.service;
      }
    }
  }
  return Object.keys(from).length > 0 ? withFields(filled, { hashesFrom: from }) : target;
}

/**
 * A found row's default link made from an MD5/SHA-1 becomes the link for the SHA-256 the lookup
 * learnt, when the service takes SHA-256 (vendor pages are keyed by it). Links an adapter chose are kept.
 */
export function relinkBySha256(
  rows: readonly ServiceResult[],
  services: readonly PreparedService[],
  asked: (service: PreparedService) => HashRef | null,
  sha256: string | null,
): ServiceResult[] {
  if (!sha256) return [...rows];
  return rows.map((row) => {
    const service = services.find((s) => s.definition.id === row.service);
    const hash = service ? asked(service) : null;
    if (!service || !hash || hash.type === 'sha256' || row.status !== 'found') return row;
    if (!service.definition.hashTypes.includes('sha256') || row.link !== service.definition.link(hash))
      return row;
    return withFields(row, { link: service.definition.link({ type: 'sha256', value: sha256 }) });
  });
}
