/**
 * The per-service concurrency cap (config `services.<id>.concurrency`, handed to the batch as
 * `concurrencyFor`): at most that many lookups of one service in flight, each service on its own.
 * Counted, not timed: the fake services hold every lookup until the test lets it go, and the
 * batch (no cache, no throttle, no I/O) has done all it can once the microtasks have drained.
 */
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../src/core/batch.js';
import { prepareServices } from '../../src/core/prepare.js';
import { targetFromHash } from '../../src/core/targets.js';
import { DEFAULT_POLICY } from '../../src/model/policy.js';
import type { TargetResult } from '../../src/model/report.js';
import { fakeService } from '../helpers/fake-services.js';

const config = { services: {}, policy: DEFAULT_POLICY, timeout: 20 };
/** Every microtask the batch queued has run (a macrotask turn comes after them all). */
const drained = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A service whose lookups wait for `release()`; it counts how many are in flight. */
function heldService(id: string) {
  const held: Array<() => void> = [];
  const state = { inFlight: 0, most: 0, asked: 0 };
  const definition = fakeService(id, async () => {
    state.asked++;
    state.inFlight++;
    state.most = Math.max(state.most, state.inFlight);
    await new Promise<void>((resolve) => held.push(resolve));
    state.inFlight--;
    return null;
  });
  return { definition, state, release: () => held.shift()?.() };
}

const hashes = (n: number) => Array.from({ length: n }, (_, i) => (i + 1).toString(16).padStart(40, '0'));

describe('the per-service concurrency cap', () => {
  it('keeps each service at its own cap, and starts the next lookup as soon as one ends', async () => {
    const two = heldService('two');
    const three = heldService('three');
    const results: TargetResult[] = [];
    const done = runBatch(
      (async function* () {
        for (const hash of hashes(7)) yield [{ target: targetFromHash({ type: 'sha1', value: hash }) }];
      })(),
      prepareServices([two.definition, three.definition], config),
      {
        policy: DEFAULT_POLICY,
        cacheMode: 'off',
        limiters: new Map(),
        concurrencyFor: (id) => (id === 'two' ? 2 : 3),
        skipKnownGood: false,
        onResult: (result) => results.push(result),
      },
    );
    await drained();
    // Seven targets are waiting; each service has exactly its cap out.
    expect([two.state.inFlight, three.state.inFlight]).toEqual([2, 3]);
    // Letting one lookup of `two` end lets exactly one more start, and `three` does not move.
    two.release();
    await drained();
    expect([two.state.asked, two.state.inFlight]).toEqual([3, 2]);
    expect([three.state.asked, three.state.inFlight]).toEqual([3, 3]);
    while (two.state.inFlight > 0 || three.state.inFlight > 0) {
      two.release();
      three.release();
      await drained();
    }
    await done;
    expect(results).toHaveLength(7);
    expect([two.state.asked, two.state.most]).toEqual([7, 2]);
    expect([three.state.asked, three.state.most]).toEqual([7, 3]);
  });
});
