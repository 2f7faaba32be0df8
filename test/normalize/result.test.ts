import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/model/policy.js';
import { applyEnginePolicy, toServiceResult } from '../../src/normalize/result.js';
import { engines } from '../helpers/fake-services.js';

const vt = { id: 'vt', kind: 'multi-engine' as const, link: () => 'https://vt.example.test/x' };
const hash = { type: 'sha256' as const, value: 'ab'.repeat(32) };

describe('applyEnginePolicy', () => {
  // Two detections: suspicious under the default bar of 3, malicious under a bar of 2.
  const cached = toServiceResult(
    vt,
    hash,
    { entries: engines(2, 0, 8), summary: 'label: trojan.x' },
    DEFAULT_POLICY,
    12,
  );

  it('judges a cached multi-engine row again under the current policy', () => {
    expect(cached).toMatchObject({
      verdict: 'suspicious',
      summary: '2/10 engines: suspicious · label: trojan.x',
    });
    const now = applyEnginePolicy(cached, { ...DEFAULT_POLICY, minMaliciousEngines: 2 });
    expect(now).toMatchObject({
      verdict: 'malicious',
      reason: { rule: 'engine-threshold' },
      summary: '2/10 engines: malicious · label: trojan.x',
      entries: cached.entries,
    });
  });

  it('leaves vendor verdicts and rows that found nothing alone', () => {
    const sandbox = toServiceResult(
      { ...vt, kind: 'sandbox' },
      hash,
      { entries: [], verdict: 'clean' },
      DEFAULT_POLICY,
      1,
    );
    expect(applyEnginePolicy(sandbox, { ...DEFAULT_POLICY, minMaliciousEngines: 1 })).toBe(sandbox);
    const missing = toServiceResult(vt, hash, null, DEFAULT_POLICY, 1);
    expect(applyEnginePolicy(missing, DEFAULT_POLICY)).toBe(missing);
  });
});
