/**
 * The memo of recent answers: bounded by estimated bytes whatever the number of answers, oldest out
 * first; in a batch, a duplicate within the budget is asked once, one pushed out is asked again.
 */
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../src/core/batch.js';
import { AnswerMemo, estimateBytes } from '../../src/core/memo.js';
import { prepareServices } from '../../src/core/prepare.js';
import { targetFromHash } from '../../src/core/targets.js';
import { DEFAULT_POLICY } from '../../src/model/policy.js';
import type { ServiceResult } from '../../src/model/report.js';
import { fakeService } from '../helpers/fake-services.js';

function result(service: string, entries = 0): ServiceResult {
  return {
    service,
    status: entries ? 'found' : 'not_found',
    verdict: entries ? 'malicious' : null,
    stats: null,
    entries: Array.from({ length: entries }, (_, i) => ({
      name: `engine ${i}`,
      category: 'malicious' as const,
      detail: 'Trojan.Generic.Something.Long',
    })),
    link: `https://example.test/${service}`,
    error: null,
    summary: null,
    hint: null,
    durationMs: 1,
  };
}

describe('AnswerMemo', () => {
  const SCOPE = {};

  it('weighs a large answer more than a small one', () => {
    expect(estimateBytes(result('a', 70))).toBeGreaterThan(20 * estimateBytes(result('a')));
  });

  it('stays within its budget whatever the count, letting the oldest go first', () => {
    const memo = new AnswerMemo(64 * 1024);
    for (let i = 0; i < 10_000; i++) memo.set(SCOPE, `key ${i}`, result(`s${i}`, i % 10));
    expect(memo.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(memo.size).toBeGreaterThan(10);
    expect(memo.size).toBeLessThan(10_000);
    expect(memo.get(SCOPE, 'key 9999')?.service).toBe('s9999');
    expect(memo.get(SCOPE, 'key 0')).toBeUndefined();
  });

  it('replaces an answer under the same key without counting it twice', () => {
    const memo = new AnswerMemo(1024 * 1024);
    memo.set(SCOPE, 'k', result('one'));
    const once = memo.bytes;
    memo.set(SCOPE, 'k', result('two'));
    expect(memo.bytes).toBe(once);
    expect(memo.size).toBe(1);
    expect(memo.get(SCOPE, 'k')?.service).toBe('two');
  });

  it('keeps its bookkeeping small when the same keys are kept again and again', () => {
    const memo = new AnswerMemo(1024 * 1024);
    for (let i = 0; i < 50_000; i++) memo.set(SCOPE, `k${i % 3}`, result(`s${i}`));
    expect(memo.size).toBe(3);
    expect(memo.get(SCOPE, 'k1')?.service).toBe('s49999');
    // Only what is kept is counted, once.
    const key = (k: string) => 16 + 2 * k.length;
    const kept = ['s49998', 's49999', 's49997'].map((s) => estimateBytes(result(s)) + key('k0'));
    expect(memo.bytes).toBe(kept.reduce((a, b) => a + b));
  });

  it('does not keep an answer larger than the whole budget', () => {
    const memo = new AnswerMemo(2048);
    memo.set(SCOPE, 'small', result('s'));
    memo.set(SCOPE, 'huge', result('h', 500));
    expect(memo.get(SCOPE, 'huge')).toBeUndefined();
    expect(memo.get(SCOPE, 'small')?.service).toBe('s');
  });
  it('keeps the same key of two scopes apart, and lets the oldest go first across scopes', () => {
    const one = {};
    const two = {};
    const memo = new AnswerMemo(3 * (estimateBytes(result('s1')) + 16 + 2));
    memo.set(one, 'k', result('s1'));
    memo.set(two, 'k', result('s2'));
    expect(memo.get(one, 'k')?.service).toBe('s1');
    expect(memo.get(two, 'k')?.service).toBe('s2');
    expect(memo.size).toBe(2);
    memo.set(two, 'j', result('s3'));
    memo.set(one, 'j', result('s4'));
    // Room for three: the oldest (one's k) went.
    expect(memo.get(one, 'k')).toBeUndefined();
    expect(memo.get(two, 'k')?.service).toBe('s2');
    expect(memo.size).toBe(3);
  });
});

describe('the batch memo', () => {
  const config = { services: {}, policy: DEFAULT_POLICY, timeout: 20 };
  const hash = (i: number) => targetFromHash({ type: 'sha1', value: i.toString(16).padStart(40, '0') });

  async function askedFor(order: number[], memoBytes?: number): Promise<number> {
    let asked = 0;
    const service = fakeService('memo', async () => {
      asked++;
      return null;
    });
    await runBatch(
      (async function* () {
        for (const i of order) yield [{ target: hash(i) }];
      })(),
      prepareServices([service], config),
      {
        policy: DEFAULT_POLICY,
        cacheMode: 'off',
        limiters: new Map(),
        concurrencyFor: () => 1,
        skipKnownGood: false,
        window: 1,
        memoBytes,
        onResult: () => {},
      },
    );
    return asked;
  }

  it('asks once for a hash listed again soon after, with the cache off', async () => {
    expect(await askedFor([1, 2, 1, 2, 1])).toBe(2);
  });

  it('asks again for a hash whose answer the budget pushed out', async () => {
    const order = [1, ...Array.from({ length: 200 }, (_, i) => i + 2), 1];
    // Room for a few answers only: the first one is gone by the time it comes back.
    expect(await askedFor(order, 4 * 1024)).toBe(202);
    expect(await askedFor(order)).toBe(201);
  });
});
