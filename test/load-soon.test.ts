import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadSoon } from '../src/load-soon.js';

/** Counts turns of the event loop (its check phase) while `count` runs. */
async function turnsDuring<T>(count: (turn: () => number) => Promise<T>): Promise<T> {
  let turn = 0;
  let running = true;
  const tick = () => {
    turn++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return await count(() => turn);
  } finally {
    running = false;
  }
}

describe('loadSoon', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('loads after what this turn of the event loop set off, and resolves to what the load gives', async () => {
    const order: string[] = [];
    const loaded = loadSoon(async () => {
      order.push('load');
      return 42;
    });
    setImmediate(() => order.push('this turn'));
    expect(order).toEqual([]);
    await expect(loaded).resolves.toBe(42);
    expect(order).toEqual(['this turn', 'load']);
  });

  it('gives each load a turn of its own, so that I/O is looked at between two of them', async () => {
    const turns = await turnsDuring(async (turn) => {
      const seen: number[] = [];
      await Promise.all(
        [1, 2, 3, 4].map(() =>
          loadSoon(async () => {
            seen.push(turn());
          }),
        ),
      );
      return seen;
    });
    expect(turns).toHaveLength(4);
    expect(new Set(turns).size).toBe(4);
    expect(turns).toEqual([...turns].sort((a, b) => a - b));
  });

  it('fails only the load that failed; the next one still loads', async () => {
    const failed = loadSoon(() => Promise.reject(new Error('chunk missing')));
    const thrown = loadSoon(() => {
      throw new Error('thrown at once');
    });
    const fine = loadSoon(async () => 'ok');
    await expect(failed).rejects.toThrow('chunk missing');
    await expect(thrown).rejects.toThrow('thrown at once');
    await expect(fine).resolves.toBe('ok');
  });

  it('loads under fake timers too (they replace the global setImmediate, not node:timers)', async () => {
    vi.useFakeTimers();
    await expect(loadSoon(async () => 'loaded')).resolves.toBe('loaded');
  });
});
