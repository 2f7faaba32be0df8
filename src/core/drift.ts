/**
 * Detection drift: a judged target compared with the same file in an earlier report (`--baseline`),
 * per service and per engine — what is new, gone or changed, and whether the target got worse.
 * Pure: the baseline is read and validated by baseline.ts.
 */
import type {
  Drift,
  DriftChange,
  DriftState,
  Entry,
  HashType,
  Report,
  ReportTargetResult,
  ServiceResult,
  TargetResult,
} from '../model/report.js';
import { severity } from '../model/verdict.js';

/** The earlier report's targets by hash: SHA-256 first, then SHA1, then MD5. */
export interface Baseline {
  byHash: Record<HashType, Map<string, ReportTargetResult>>;
  /** Targets in the baseline. */
  size: number;
}

const MATCH_ORDER = ['sha256', 'sha1', 'md5'] as const;

export function indexBaseline(report: Report): Baseline {
  const byHash: Baseline['byHash'] = { sha256: new Map(), sha1: new Map(), md5: new Map() };
  for (const result of report.results) {
    for (const type of MATCH_ORDER) {
      const value = result.target[type];
      // Copies of one file have the same answers: the first one stands for them all.
      if (value && !byHash[type].has(value)) byHash[type].set(value, result);
    }
  }
  return { byHash, size: report.results.length };
}

function findInBaseline(
  result: TargetResult,
  baseline: Baseline,
): [HashType, ReportTargetResult] | undefined {
  for (const type of MATCH_ORDER) {
    const value = result.target[type];
    const found = value ? baseline.byHash[type].get(value) : undefined;
    if (found) return [type, found];
  }
  return undefined;
}

const FLAGGING: readonly string[] = ['malicious', 'suspicious'];
const flags = (state: DriftState | null) => state !== null && FLAGGING.includes(state.category);
/** not_found and absent rank below every category: nobody said anything. */
const rank = (state: DriftState | null) =>
  state === null || state.category === 'not_found' ? -2 : severity(state.category);

/** Worse: it flags now, and more severely than before (clean → malicious, suspicious → malicious). */
function isWorse(before: DriftState | null, after: DriftState | null): boolean {
  return flags(after) && rank(after) > rank(before);
}

const answered = (s: ServiceResult | undefined): s is ServiceResult =>
  s !== undefined && (s.status === 'found' || s.status === 'not_found');
const asked = (s: ServiceResult | undefined) =>
  s !== undefined && s.status !== 'disabled' && s.status !== 'unsupported';

function serviceState(s: ServiceResult): DriftState {
  if (s.status === 'not_found') return { category: 'not_found', detail: null };
  return { category: s.verdict ?? 'undetected', detail: s.summary };
}

function entryState(e: Entry): DriftState {
  return { category: e.category, detail: e.detail };
}

/** Entries by name; a name that appears twice is keyed with its occurrence (`name`, `name\u00002`). */
function byName(entries: readonly Entry[]): Map<string, Entry> {
  const map = new Map<string, Entry>();
  const seen = new Map<string, number>();
  for (const e of entries) {
    const n = (seen.get(e.name) ?? 0) + 1;
    seen.set(e.name, n);
    map.set(n === 1 ? e.name : `${e.name}\u0000${n}`, e);
  }
  return map;
}

function kindOf(before: DriftState | null, after: DriftState | null): DriftChange['change'] {
  if (before === null || before.category === 'not_found') return 'new';
  if (after === null || after.category === 'not_found') return 'gone';
  return 'changed';
}

/**
 * The changes of one service answered both times: its own verdict when its category changed, and
 * every engine row that flags now or flagged then and is not the same (engines added or dropped that
 * flag nothing, undetected ↔ clean, are not drift).
 */
function serviceChanges(now: ServiceResult, then: ServiceResult): DriftChange[] {
  const changes: DriftChange[] = [];
  const [before, after] = [serviceState(then), serviceState(now)];
  if (before.category !== after.category) {
    changes.push({
      service: now.service,
      engine: null,
      change: kindOf(before, after),
      before,
      after,
      worse: isWorse(before, after),
    });
  }
  const old = byName(then.entries);
  const current = byName(now.entries);
  for (const key of new Set([...current.keys(), ...old.keys()])) {
    const was = old.get(key);
    const is = current.get(key);
    const b = was ? entryState(was) : null;
    const a = is ? entryState(is) : null;
    if (!flags(a) && !flags(b)) continue;
    if (b && a && b.category === a.category && b.detail === a.detail) continue;
    changes.push({
      service: now.service,
      engine: (is ?? (was as Entry)).name,
      change: kindOf(b, a),
      before: b,
      after: a,
      worse: isWorse(b, a),
    });
  }
  return changes;
}

/** Why a service is left out of the comparison, or undefined when it answered both times. */
function skipReason(now: ServiceResult | undefined, then: ServiceResult | undefined): string | undefined {
  if (now?.status === 'error') return `failed now (${now.error?.code ?? 'error'}): not compared`;
  if (then?.status === 'error')
    return `failed in the baseline (${then.error?.code ?? 'error'}): not compared`;
  if (answered(now) && !asked(then)) return 'not asked in the baseline: not compared';
  if (answered(then) && !asked(now)) return 'not asked now: not compared';
  return undefined;
}

/** How `result` differs from its file in the baseline; `matchedBy` null when the baseline lacks it. */
export function driftOf(result: TargetResult, baseline: Baseline): Drift {
  const match = findInBaseline(result, baseline);
  if (!match) return { matchedBy: null, verdictBefore: null, worse: false, changes: [], skipped: [] };
  const [matchedBy, then] = match;
  const before = new Map(then.services.map((s) => [s.service, s]));
  const ids = [...result.services.map((s) => s.service), ...then.services.map((s) => s.service)];
  const changes: DriftChange[] = [];
  const skipped: Drift['skipped'] = [];
  let worse = severity(result.verdict) > severity(then.verdict) && FLAGGING.includes(result.verdict);
  for (const id of new Set(ids)) {
    const now = result.services.find((s) => s.service === id);
    const old = before.get(id);
    const why = skipReason(now, old);
    if (why) skipped.push({ service: id, why });
    if (why || !answered(now) || !answered(old)) continue;
    const found = serviceChanges(now, old);
    changes.push(...found);
    // A service the policy ignores is shown, but its changes do not make the file worse.
    if (now.reason?.rule !== 'ignored-service' && found.some((c) => c.worse)) worse = true;
  }
  // Worse first, then as the services are listed, each service's own verdict before its engines.
  const order = (c: DriftChange) => (c.worse ? 0 : 1);
  changes.sort((a, b) => order(a) - order(b));
  return { matchedBy, verdictBefore: then.verdict, worse, changes, skipped };
}
