/**
 * The deadline on vitest's fake clock: its timer (setTimeout) and its clock (process.hrtime, read
 * by src/clock.ts) are both faked, so "60 ms later" is exact and takes no real time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startDeadline } from '../../src/http/deadline.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'hrtime'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('startDeadline', () => {
  it('aborts when the time runs out, not before, and says so', () => {
    const deadline = startDeadline(20);
    vi.advanceTimersByTime(19);
    expect(deadline.signal.aborted).toBe(false);
    expect(deadline.expired).toBe(false);
    vi.advanceTimersByTime(1);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired).toBe(true);
    expect((deadline.signal.reason as Error).name).toBe('TimeoutError');
  });

  it('follows its parent without counting that as expiry', () => {
    const parent = new AbortController();
    const deadline = startDeadline(10_000, parent.signal);
    parent.abort(new Error('interrupted'));
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired).toBe(false);
    expect(deadline.signal.reason).toEqual(new Error('interrupted'));
    deadline.clear();
  });

  it('never fires once cleared, and lets go of the parent', () => {
    const parent = new AbortController();
    const deadline = startDeadline(20, parent.signal);
    deadline.clear();
    parent.abort();
    vi.advanceTimersByTime(1_000);
    expect(deadline.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('hold() stops the clock; resuming gives back the time that was left', () => {
    const deadline = startDeadline(60);
    vi.advanceTimersByTime(20);
    const resume = deadline.hold();
    vi.advanceTimersByTime(80); // past the original 60 ms
    expect(deadline.signal.aborted).toBe(false);
    resume();
    vi.advanceTimersByTime(39);
    expect(deadline.signal.aborted).toBe(false); // 40 ms were left
    vi.advanceTimersByTime(1);
    expect(deadline.expired).toBe(true);
  });

  it('a hold still follows the parent, and a resume after clear() starts no timer', () => {
    const parent = new AbortController();
    const held = startDeadline(20, parent.signal);
    const resume = held.hold();
    parent.abort(new Error('interrupted'));
    expect(held.signal.aborted).toBe(true);
    expect(held.expired).toBe(false);
    resume();

    const done = startDeadline(20);
    const later = done.hold();
    done.clear();
    later();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(done.signal.aborted).toBe(false);
  });

  it('tells onAbort once, with the reason and whether the time ran out', () => {
    const seen: [string, boolean][] = [];
    const note = (reason: unknown, expired: boolean) => seen.push([(reason as Error).name, expired]);
    startDeadline(20, undefined, note);
    vi.advanceTimersByTime(20);
    const parent = new AbortController();
    startDeadline(20, parent.signal, note);
    parent.abort(new RangeError('interrupted'));
    vi.advanceTimersByTime(1_000);
    const before = new AbortController();
    before.abort(new TypeError('already'));
    startDeadline(20, before.signal, note);
    expect(seen).toEqual([
      ['TimeoutError', true],
      ['RangeError', false],
      ['TypeError', false],
    ]);
  });
});
