/**
 * The progress line on stderr (src/cli/progress.ts): drawn every 200 ms on a terminal, wiped before
 * a report line and at the end, and never written at all when stderr is not a terminal. On the fake
 * clock (setInterval), so "after 200 ms" is exact.
 */
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startProgress } from '../../src/cli/progress.js';
import { newCounters } from '../../src/core/batch.js';
import type { RateLimiter } from '../../src/http/rate-limiter.js';
import { fakeIo } from '../helpers/fake-io.js';
import { fakeService } from '../helpers/fake-services.js';
import { tempDir } from '../helpers/temp-dir.js';

const WIPE = '\r\u001b[K';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A stderr that records each write; a terminal unless told otherwise. */
function stderr(options: { isTTY?: boolean; columns?: number } = {}) {
  const writes: string[] = [];
  return { writes, stream: { write: (chunk: string) => writes.push(chunk), isTTY: true, ...options } };
}

/** A limiter stand-in: the progress line only asks when its next slot frees. */
const waiting = (ms: number) => ({ nextSlotInMs: () => ms }) as unknown as RateLimiter;

describe('startProgress', () => {
  it('writes nothing at all when stderr is not a terminal', () => {
    for (const isTTY of [false, undefined]) {
      const { writes, stream } = stderr({ isTTY });
      const counters = { ...newCounters(), targetsQueued: 3 };
      const progress = startProgress(stream, counters, new Map());
      vi.advanceTimersByTime(5_000);
      progress.clear();
      progress.stop();
      expect(writes).toEqual([]);
      expect(vi.getTimerCount()).toBe(0);
    }
  });

  it('draws the counts every 200 ms, in place, and nothing before the first 200 ms', () => {
    const { writes, stream } = stderr();
    const counters = newCounters();
    const progress = startProgress(stream, counters, new Map());
    vi.advanceTimersByTime(199);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual([`${WIPE}0/0 targets · 0 lookups done, 0 queued`]);
    Object.assign(counters, {
      targetsQueued: 10,
      targetsDone: 3,
      lookupsDone: 5,
      lookupsInFlight: 2,
      cacheHits: 4,
    });
    vi.advanceTimersByTime(200);
    expect(writes.at(-1)).toBe(`${WIPE}3/10 targets · 5 lookups done, 2 queued · 4 from cache`);
    expect(writes).toHaveLength(2);
    progress.stop();
  });

  it('names the services waiting more than a second for a rate-limit slot, in whole seconds up', () => {
    const { writes, stream } = stderr();
    const limiters = new Map([
      ['vt', waiting(2_001)],
      ['otx', waiting(1_000)],
      ['triage', waiting(0)],
      ['intezer', waiting(59_000)],
    ]);
    const progress = startProgress(stream, { ...newCounters(), targetsQueued: 1 }, limiters);
    vi.advanceTimersByTime(200);
    expect(writes).toEqual([
      `${WIPE}0/1 targets · 0 lookups done, 0 queued · vt waits 3s · intezer waits 59s`,
    ]);
    progress.stop();
  });

  it('fits the terminal: cut to one column less than its width', () => {
    const { writes, stream } = stderr({ columns: 20 });
    const progress = startProgress(stream, newCounters(), new Map());
    vi.advanceTimersByTime(200);
    expect(writes).toEqual([`${WIPE}0/0 targets · 0 loo`]); // 19 columns
    progress.stop();
  });

  it('clear() wipes a line that is shown, once; stop() wipes it and draws no more', () => {
    const { writes, stream } = stderr();
    const progress = startProgress(stream, newCounters(), new Map());
    progress.clear();
    expect(writes).toEqual([]); // nothing shown yet, nothing to wipe
    vi.advanceTimersByTime(200);
    progress.clear();
    progress.clear();
    expect(writes.slice(1)).toEqual([WIPE]);
    vi.advanceTimersByTime(200); // drawn again after a report line
    progress.stop();
    expect(writes.slice(2)).toEqual([`${WIPE}0/0 targets · 0 lookups done, 0 queued`, WIPE]);
    vi.advanceTimersByTime(10_000);
    expect(writes).toHaveLength(4);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('goes through the stream’s status() when it has one', () => {
    const lines: string[] = [];
    const writes: string[] = [];
    const stream = {
      write: (c: string) => writes.push(c),
      status: (l: string) => lines.push(l),
      isTTY: true,
    };
    const progress = startProgress(stream, newCounters(), new Map());
    vi.advanceTimersByTime(200);
    progress.stop();
    expect(lines).toEqual(['0/0 targets · 0 lookups done, 0 queued', '']);
    expect(writes).toEqual([]);
  });
});

describe('the progress line in a run', () => {
  /** One held lookup, so the run is still going when the fake clock moves. */
  function heldRun(args: string[], isTTY: boolean) {
    let release: () => void = () => {};
    let asked: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const service = fakeService('held', async () => {
      asked();
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return null;
    });
    const io = fakeIo({ cwd: tempDir('ti-check-progress-') });
    io.stderr.isTTY = isTTY;
    io.stdin = () => Readable.from([`${'a'.repeat(40)}\n`]);
    // Both streams in the order they were written; a report (JSON) as one word.
    const order: string[] = [];
    const [out, err] = [io.stdout.write, io.stderr.write];
    io.stdout.write = (chunk) => {
      order.push(chunk.startsWith('{') ? 'out:report' : `out:${chunk}`);
      return out(chunk);
    };
    io.stderr.write = (chunk) => {
      order.push(`err:${chunk}`);
      return err(chunk);
    };
    const exit = main(['-', '--no-cache', ...args], io, [service]);
    return { io, order, exit, started, release: () => release() };
  }

  it('on a terminal: shown while the run waits, wiped before the report line, nothing left at the end', async () => {
    const run = heldRun(['--ndjson'], true);
    await run.started;
    vi.advanceTimersByTime(400);
    const line = `${WIPE}0/1 targets · 0 lookups done, 1 queued`;
    // Drawn once: two ticks with nothing new write nothing the second time.
    expect(run.order).toEqual([`err:${line}`]);
    run.release();
    expect(await run.exit).toBe(0);
    expect(run.order).toEqual([`err:${line}`, `err:${WIPE}`, 'out:report']);
    expect(run.io.out()).not.toContain('\r');
  });

  it('a report printed at the end (--json) comes after the line is wiped', async () => {
    const run = heldRun(['--json'], true);
    await run.started;
    vi.advanceTimersByTime(200);
    run.release();
    expect(await run.exit).toBe(0);
    expect(run.order).toEqual([
      `err:${WIPE}0/1 targets · 0 lookups done, 1 queued`,
      `err:${WIPE}`,
      'out:report',
    ]);
  });

  it.each([
    ['stderr is not a terminal', [], false],
    ['--quiet', ['--quiet'], true],
    ['--debug writes its own lines', ['--debug'], true],
  ] as const)('never drawn when %s', async (_why, args, isTTY) => {
    const run = heldRun(['--ndjson', ...args], isTTY);
    await run.started;
    vi.advanceTimersByTime(5_000);
    run.release();
    expect(await run.exit).toBe(0);
    expect(run.io.err()).toBe('');
  });
});
