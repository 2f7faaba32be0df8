/**
 * Heavy work tunes the process (src/process-tuning.ts) and a short run does not: the CLI's V8
 * settings are applied once a batch has a second target, or before undici loads, and only then.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runBatch } from '../src/core/batch.js';
import { prepareServices } from '../src/core/prepare.js';
import { targetFromHash } from '../src/core/targets.js';
import { DEFAULT_POLICY } from '../src/model/policy.js';
import { setProcessTuning, tuneProcess } from '../src/process-tuning.js';
import { fakeService } from './helpers/fake-services.js';

afterEach(() => setProcessTuning(undefined));

const hashes = (n: number) => Array.from({ length: n }, (_, i) => (i + 1).toString(16).padStart(40, '0'));

/** A batch of `n` hashes: how many times the process had been tuned when each lookup began. */
async function batchOf(n: number, tune: () => void): Promise<number[]> {
  let calls = 0;
  setProcessTuning(() => {
    calls++;
    tune();
  });
  const seen: number[] = [];
  const service = fakeService('one', async () => {
    seen.push(calls);
    return null;
  });
  await runBatch(
    (async function* () {
      yield hashes(n).map((value) => ({ target: targetFromHash({ type: 'sha1', value }) }));
    })(),
    prepareServices([service], { services: {}, policy: DEFAULT_POLICY, timeout: 20 }),
    {
      policy: DEFAULT_POLICY,
      cacheMode: 'off',
      limiters: new Map(),
      concurrencyFor: () => 4,
      skipKnownGood: false,
      onResult: () => {},
    },
  );
  return seen;
}

describe('process tuning', () => {
  it('is applied once, by the first call, and not at all when nobody set it up', () => {
    const apply = vi.fn();
    tuneProcess();
    setProcessTuning(apply);
    tuneProcess();
    tuneProcess();
    expect(apply).toHaveBeenCalledTimes(1);
  });

  it('is left alone by a run of one target', async () => {
    const tune = vi.fn();
    expect(await batchOf(1, tune)).toEqual([0]);
    expect(tune).not.toHaveBeenCalled();
  });

  it('is applied by a batch once it has a second target, before that target is looked up', async () => {
    const tune = vi.fn();
    const seen = await batchOf(5, tune);
    expect(tune).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(5);
    // The first lookup may have begun before; every other one began after.
    expect(seen.slice(1)).toEqual([1, 1, 1, 1]);
  });
});
