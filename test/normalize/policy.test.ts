import { describe, expect, it } from 'vitest';
import type { TargetResult } from '../../src/model/report.js';
import { parseAllowList } from '../../src/normalize/allow-list.js';
import { judgeTarget } from '../../src/normalize/policy.js';
import { toServiceResult } from '../../src/normalize/result.js';
import { countStats, judgeEngines } from '../../src/normalize/verdict.js';
import { engines } from '../helpers/fake-services.js';

const judge = (entries: ReturnType<typeof engines>, policy: Parameters<typeof judgeEngines>[1]) =>
  judgeEngines(countStats(entries), policy, entries);

describe('engine rules, with the rule that decided', () => {
  it('threshold: count, and ratio when set (a ratio only raises the bar)', () => {
    expect(judge(engines(3, 0, 60), { minMaliciousEngines: 3 })).toEqual({
      verdict: 'malicious',
      reason: { rule: 'engine-threshold', message: '3/63 engines malicious (≥ 3)' },
    });
    expect(judge(engines(3, 0, 60), { minMaliciousEngines: 3, minDetectionRatio: 0.1 })).toEqual({
      verdict: 'suspicious',
      reason: {
        rule: 'below-threshold',
        message: '3/63 engines malicious: below the bar of 3 engines and 10%',
      },
    });
    expect(judge(engines(7, 0, 60), { minMaliciousEngines: 3, minDetectionRatio: 0.1 }).reason.rule).toBe(
      'engine-threshold',
    );
  });
  it.each([
    // [malicious, other engines, minDetectionRatio]: malicious / total is exactly the ratio.
    [7, 93, 0.07, '7%'],
    [3, 7, 0.3, '30%'],
    [1, 2, 1 / 3, '33.3%'],
    [5, 11, 0.3125, '31.3%'],
    [4, 0, 1, '100%'],
  ])(
    'a ratio of exactly minDetectionRatio meets it: %i malicious and %i others at %d',
    (mal, others, ratio, shown) => {
      const at = judge(engines(mal, 0, others), { minMaliciousEngines: 1, minDetectionRatio: ratio });
      expect(at).toEqual({
        verdict: 'malicious',
        reason: {
          rule: 'engine-threshold',
          message: `${mal}/${mal + others} engines malicious (≥ 1, ${shown} ≥ ${shown})`,
        },
      });
      // One more engine that saw nothing puts it just below the bar.
      const below = judge(engines(mal, 0, others + 1), { minMaliciousEngines: 1, minDetectionRatio: ratio });
      expect(below.verdict).toBe('suspicious');
      expect(below.reason.rule).toBe('below-threshold');
    },
  );

  it('at the ratio but under the engine count is still below the bar (both must hold)', () => {
    expect(judge(engines(2, 0, 18), { minMaliciousEngines: 3, minDetectionRatio: 0.1 })).toEqual({
      verdict: 'suspicious',
      reason: {
        rule: 'below-threshold',
        message: '2/20 engines malicious: below the bar of 3 engines and 10%',
      },
    });
  });

  it('a trusted engine alone makes it malicious (case-insensitive)', () => {
    const rows = [...engines(0, 0, 50), { name: 'TrustedAV', category: 'malicious' as const, detail: 'X' }];
    expect(judge(rows, { minMaliciousEngines: 3, trustedEngines: ['trustedav'] })).toEqual({
      verdict: 'malicious',
      reason: {
        rule: 'trusted-engine',
        message: 'trusted engine TrustedAV says malicious (1/51 engines malicious)',
      },
    });
    expect(judge(rows, { minMaliciousEngines: 3 }).verdict).toBe('suspicious');
  });
  it('no detections: clean when affirmed, else undetected', () => {
    expect(judge(engines(0, 2, 5), { minMaliciousEngines: 3 }).reason.rule).toBe('no-detections');
    expect(judge(engines(0, 0, 5), { minMaliciousEngines: 3 }).verdict).toBe('undetected');
  });
});

const def = (id: string, kind: 'multi-engine' | 'repository') => ({
  id,
  kind,
  link: () => `https://${id}.test/`,
});
const hash = { type: 'md5' as const, value: 'a'.repeat(32) };
const target = { path: null, size: null, md5: hash.value, sha1: null, sha256: null };
const policy = { minMaliciousEngines: 3 };
const raw = (...services: TargetResult['services']): TargetResult => ({
  target,
  verdict: 'unknown',
  services,
});

describe('judgeTarget', () => {
  const vt = toServiceResult(def('vt', 'multi-engine'), hash, { entries: engines(1, 5, 5) }, policy, 1);
  const repo = toServiceResult(
    def('repo', 'repository'),
    hash,
    { entries: [], verdict: 'malicious' },
    policy,
    1,
  );

  it('takes the worst counted service and says which', () => {
    const judged = judgeTarget(raw(vt, repo), { policy });
    expect([judged.verdict, judged.reason, judged.allowList]).toEqual([
      'malicious',
      { rule: 'worst-service', message: 'malicious from repo' },
      null,
    ]);
    expect(judged.services.map((s) => s.reason?.rule)).toEqual(['below-threshold', 'vendor-verdict']);
  });

  it('leaves out ignored services, and marks them', () => {
    const judged = judgeTarget(raw(vt, repo), { policy: { ignoreServices: ['repo'] } });
    expect(judged.verdict).toBe('suspicious');
    expect(judged.services[1]?.reason).toEqual({
      rule: 'ignored-service',
      message: "policy.ignoreServices: its malicious does not count (repo's own verdict: malicious)",
    });
    expect(judgeTarget(raw(repo), { policy: { ignoreServices: ['repo'] } }).reason.rule).toBe('not-found');
  });

  it('tells no answer from not found', () => {
    const down = { ...vt, status: 'error' as const, verdict: null, error: { code: 'network', message: 'x' } };
    expect(judgeTarget(raw(down), { policy }).reason.rule).toBe('no-answer');
    const missing = toServiceResult(def('vt', 'multi-engine'), hash, null, policy, 1);
    expect(judgeTarget(raw(missing), { policy }).reason.rule).toBe('not-found');
  });

  it('downgrades an allow-listed file to clean and keeps what the services said', () => {
    const allowList = parseAllowList(`${hash.value.toUpperCase()} # vendor FP, ticket 7\n`, 'allow.txt');
    const judged = judgeTarget(raw(vt, repo), { policy, allowList });
    expect([judged.verdict, judged.reason.rule, judged.allowList]).toEqual([
      'clean',
      'allow-list',
      { comment: 'vendor FP, ticket 7', verdict: 'malicious' },
    ]);
  });
});

describe('allow-list file', () => {
  it('skips blank and comment lines and needs a comment per hash', () => {
    const list = parseAllowList(`\n# header\n${'b'.repeat(64)}  installer v2\r\n`, 'a.txt');
    expect([...list]).toEqual([['b'.repeat(64), 'installer v2']]);
    expect(() => parseAllowList('xyz comment', 'a.txt')).toThrow(
      'a.txt:1: expected an MD5, SHA1 or SHA256, got "xyz"',
    );
    expect(() => parseAllowList(`\n${'c'.repeat(40)}`, 'a.txt')).toThrow('a.txt:2: add a comment');
  });
});
