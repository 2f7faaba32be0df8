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
});
