import { describe, expect, it } from 'vitest';
import { startDeadline } from '../../src/http/deadline.js';

describe('startDeadline', () => {
  it('aborts when the time runs out, and says so', async () => {
    const deadline = startDeadline(20);
    await new Promise((resolve) => setTimeout(resolve, 50));
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
    deadline.clear();
  });

  it('never fires once cleared, and lets go of the parent', async () => {
    const parent = new AbortController();
    const deadline = startDeadline(20, parent.signal);
    deadline.clear();
    parent.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(deadline.signal.aborted).toBe(false);
  });

  it('hold() stops the clock; resuming gives back the time that was left', async () => {
    const deadline = startDeadline(60);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const resume = deadline.hold();
    await new Promise((resolve) => setTimeout(resolve, 80)); // past the original 60 ms
    expect(deadline.signal.aborted).toBe(false);
    resume();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(deadline.signal.aborted).toBe(false); // about 40 ms were left
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(deadline.expired).toBe(true);
  });

  it('a hold still follows the parent, and a resume after clear() starts no timer', async () => {
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
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done.signal.aborted).toBe(false);
  });
});
