import { describe, expect, it } from 'vitest';
import { driftOf, indexBaseline } from '../../src/core/drift.js';
import { gateOf } from '../../src/core/gate.js';
import { type ReportTargetResult, SCHEMA_VERSION } from '../../src/model/report.js';
import { driftText } from '../../src/render/common.js';
import { fixtureReport, NAMES } from '../helpers/report-fixture.js';

const baselineOf = (results: ReportTargetResult[]) =>
  indexBaseline({ schemaVersion: SCHEMA_VERSION, results });

/** A deep copy to change: the baseline keeps the original. */
const copy = <T>(value: T): T => structuredClone(value);

const [malicious, suspicious, clean, unanswered] = fixtureReport() as [
  ReportTargetResult,
  ReportTargetResult,
  ReportTargetResult,
  ReportTargetResult,
];

describe('detection drift', () => {
  const baseline = baselineOf(fixtureReport());

  it('the same answers: matched by SHA-256, nothing changed, not worse', () => {
    expect(driftOf(clean, baseline)).toEqual({
      matchedBy: 'sha256',
      verdictBefore: 'clean',
      worse: false,
      changes: [],
      skipped: [],
    });
  });

  it('an engine that said clean now flags the file: a worse change, shown as before → after', () => {
    const now = copy(clean);
    const engines = now.services.find((s) => s.service === 'engines');
    if (!engines) throw new Error('fixture has no engines row');
    engines.entries[0] = { name: 'Clean1', category: 'malicious', detail: 'Trojan:Win32/Wacatac' };
    const drift = driftOf(now, baseline);
    expect(drift.worse).toBe(true);
    expect(drift.changes).toEqual([
      {
        service: 'engines',
        engine: 'Clean1',
        change: 'changed',
        before: { category: 'clean', detail: null },
        after: { category: 'malicious', detail: 'Trojan:Win32/Wacatac' },
        worse: true,
      },
    ]);
    expect(driftText(drift.changes[0] as never, NAMES)).toBe(
      'Engines · Clean1: clean → Trojan:Win32/Wacatac',
    );
  });

  it('a service that now finds a file it did not know, flagging it: new and worse', () => {
    const now = copy(clean);
    const bazaar = now.services.find((s) => s.service === 'bazaar');
    if (!bazaar) throw new Error('fixture has no bazaar row');
    Object.assign(bazaar, {
      status: 'found',
      verdict: 'malicious',
      summary: 'listed: Emotet',
      entries: [{ name: 'Emotet', category: 'malicious', detail: 'tags: exe' }],
    });
    const drift = driftOf({ ...now, verdict: 'malicious' }, baseline);
    expect(drift.worse).toBe(true);
    expect(drift.changes.map((c) => [c.engine, c.change, c.worse])).toEqual([
      [null, 'new', true],
      ['Emotet', 'new', true],
    ]);
    expect(driftText(drift.changes[0] as never, NAMES)).toBe('Bazaar: not found → malicious');
  });

  it('a signature renamed or a detection gone is drift, but not worse', () => {
    const now = copy(malicious);
    const engines = now.services.find((s) => s.service === 'engines');
    if (!engines) throw new Error('fixture has no engines row');
    engines.entries[0] = { name: 'Mal1', category: 'malicious', detail: 'Trojan.Generic.2' };
    engines.entries.splice(1, 1);
    const drift = driftOf(now, baseline);
    expect(drift.worse).toBe(false);
    expect(drift.changes.map((c) => [c.engine, c.change, c.worse])).toEqual([
      ['Mal1', 'changed', false],
      ['Mal2', 'gone', false],
    ]);
    expect(driftText(drift.changes[1] as never, NAMES)).toBe('Engines · Mal2: Trojan.Gen → absent');
  });

  it('engines that flag nothing coming and going (undetected ↔ clean) are not drift', () => {
    const now = copy(clean);
    const engines = now.services.find((s) => s.service === 'engines');
    if (!engines) throw new Error('fixture has no engines row');
    engines.entries = engines.entries.map((e) => ({ ...e, category: 'undetected' as const }));
    engines.entries.push({ name: 'NewAV', category: 'undetected', detail: null });
    expect(driftOf(now, baseline).changes).toEqual([]);
  });

  it('a service that failed now or in the baseline is not compared, and says so', () => {
    const now = copy(malicious);
    const engines = now.services.find((s) => s.service === 'engines');
    if (!engines) throw new Error('fixture has no engines row');
    Object.assign(engines, {
      status: 'error',
      entries: [],
      verdict: null,
      error: { code: 'timeout', message: 'x' },
    });
    const drift = driftOf(now, baseline);
    expect(drift.changes).toEqual([]);
    expect(drift.skipped).toEqual([{ service: 'engines', why: 'failed now (timeout): not compared' }]);
    // The baseline's own failures: the hash nobody could answer then, answered now.
    const answered = copy(unanswered);
    answered.services[0] = copy(malicious.services[0] as never);
    const then = driftOf(answered, baseline);
    expect(then.skipped.map((s) => s.why)).toEqual([
      'failed in the baseline (rate_limited): not compared',
      // Bazaar timed out then and times out now: the answer of now is the one named.
      'failed now (timeout): not compared',
    ]);
    expect(then.changes).toEqual([]);
  });

  it('matches by SHA1, then MD5, when the SHA-256 is unknown; a file the baseline lacks is unmatched', () => {
    const byMd5 = { ...copy(suspicious), target: { ...suspicious.target, sha256: null, sha1: null } };
    expect(driftOf(byMd5, baseline).matchedBy).toBe('md5');
    const bySha1 = { ...copy(suspicious), target: { ...suspicious.target, sha256: null } };
    expect(driftOf(bySha1, baseline).matchedBy).toBe('sha1');
    const stranger = {
      ...copy(suspicious),
      target: { ...suspicious.target, sha256: 'f'.repeat(64), sha1: null, md5: null },
    };
    expect(driftOf(stranger, baseline)).toMatchObject({ matchedBy: null, worse: false, changes: [] });
  });

  it('a change in a service the policy ignores is shown but does not make the file worse', () => {
    const now = copy(clean);
    const engines = now.services.find((s) => s.service === 'engines');
    if (!engines) throw new Error('fixture has no engines row');
    engines.entries[0] = { name: 'Clean1', category: 'malicious', detail: 'X' };
    engines.reason = { rule: 'ignored-service', message: 'ignored' };
    const drift = driftOf(now, baseline);
    expect(drift.changes).toHaveLength(1);
    expect(drift.worse).toBe(false);
  });
});

describe('the gate with --fail-on-drift', () => {
  const baseline = baselineOf(fixtureReport());
  const gate = { failOn: 'malicious' as const, failOnDrift: true };

  it('a file malicious in the baseline and no worse passes; one worse fails', () => {
    const same = { ...malicious, drift: driftOf(malicious, baseline) };
    expect(gateOf([same], gate)).toBe('ok');
    expect(gateOf([same], { failOn: 'malicious' })).toBe('flagged');
    const now = copy(clean);
    (now.services[0]?.entries as { category: string }[])[0] = { category: 'suspicious' } as never;
    const worse = { ...now, drift: { ...driftOf(clean, baseline), worse: true } };
    expect(gateOf([worse], gate)).toBe('flagged');
  });

  it('a file the baseline does not have is gated by --fail-on as usual', () => {
    const stranger = { ...malicious, drift: { ...driftOf(malicious, baseline), matchedBy: null } };
    expect(gateOf([stranger], gate)).toBe('flagged');
  });
});
