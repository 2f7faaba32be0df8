import type { Policy } from '../model/policy.js';
import type { Category, HashRef, ServiceReason, ServiceResult } from '../model/report.js';
import { CATEGORIES, HASH_TYPES } from '../model/report-values.js';
import { withFields } from '../model/with-fields.js';
import type { Finding, ServiceDefinition } from '../services/types.js';
import { countStats, type EnginePolicy, judgeEngines } from './verdict.js';

const ENTRY_ORDER = Object.fromEntries(CATEGORIES.map((c, i) => [c, i])) as Record<string, number>;

/** An adapter's finding (or null = not found) as the report's service row. */
export function toServiceResult(
  service: Pick<ServiceDefinition, 'id' | 'kind' | 'link'>,
  hash: HashRef,
  finding: Finding | null,
  policy: Policy,
  durationMs: number | null,
): ServiceResult {
  const link = service.link(hash);
  // No spread followed by more fields (slow on Node 20, src/model/with-fields.ts): the "not found"
  // row is one literal, a found one is put together by withFields.
  if (!finding) {
    return {
      service: service.id,
      link,
      error: null,
      hint: null,
      durationMs,
      status: 'not_found',
      verdict: null,
      stats: null,
      entries: [],
      summary: null,
    };
  }
  // Detections first: the rows an analyst reads before the long tail of "undetected".
  const entries = [...finding.entries].sort(
    (a, b) => (ENTRY_ORDER[a.category] ?? 0) - (ENTRY_ORDER[b.category] ?? 0),
  );
  const multiEngine = service.kind === 'multi-engine';
  const stats = multiEngine ? countStats(entries) : null;
  const judged = finding.verdict
    ? { verdict: finding.verdict, reason: vendorReason(service.id, finding.verdict) }
    : stats
      ? judgeEngines(stats, policy, entries)
      : { verdict: 'undetected' as const, reason: vendorReason(service.id, 'undetected') };
  const { verdict } = judged;
  const hashes = reportedHashes(finding.hashes);
  const head = { service: service.id, link: finding.link ?? link, error: null, hint: null, durationMs };
  return withFields(hashes ? withFields(head, { hashes }) : head, {
    status: 'found' as const,
    verdict,
    reason: judged.reason,
    stats,
    entries,
    summary: [stats ? engineSummary(stats, verdict) : verdict, finding.summary].filter(Boolean).join(' · '),
  });
}

const HEX_LENGTH = { md5: 32, sha1: 40, sha256: 64 } as const;

/** The vendor's digests, lower-cased; anything that is not one (empty, wrong length, not hex) is left out. */
function reportedHashes(given: Finding['hashes']): ServiceResult['hashes'] {
  const out: NonNullable<ServiceResult['hashes']> = {};
  for (const type of HASH_TYPES) {
    const value = given?.[type]?.trim().toLowerCase();
    if (value && new RegExp(`^[0-9a-f]{${HEX_LENGTH[type]}}$`).test(value)) out[type] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function engineSummary(stats: NonNullable<ServiceResult['stats']>, verdict: string): string {
  const suspicious = stats.suspicious > 0 ? ` (+${stats.suspicious} suspicious)` : '';
  return `${stats.malicious}/${stats.total} engines${suspicious}: ${verdict}`;
}

function vendorReason(id: string, verdict: Category): ServiceReason {
  return { rule: 'vendor-verdict', message: `${id}'s own verdict: ${verdict}` };
}

/** The derived head of a multi-engine summary line, e.g. `12/70 engines (+1 suspicious): malicious`. */
const ENGINE_SUMMARY = /^\d+\/\d+ engines(?: \(\+\d+ suspicious\))?: [a-z]+/;

/**
 * A multi-engine row judged again under `policy`. A cached row was judged under the policy of the
 * run that fetched it; its engine rows are policy-free, so the verdict, reason and summary are
 * derived again rather than trusted.
 */
export function applyEnginePolicy(row: ServiceResult, policy: EnginePolicy): ServiceResult {
  if (row.status !== 'found' || !row.stats || row.reason?.rule === 'vendor-verdict') return row;
  const { verdict, reason } = judgeEngines(row.stats, policy, row.entries);
  const head = engineSummary(row.stats, verdict);
  const summary =
    row.summary && ENGINE_SUMMARY.test(row.summary) ? row.summary.replace(ENGINE_SUMMARY, head) : head;
  return withFields(row, { verdict, reason, summary });
}
