/** Streamed lines gathered into few writes: in order, on time, and none lost at the end. */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalescedOutput } from '../../src/cli/io.js';

function recorder() {
  const events: string[] = [];
  const stream = { write: (chunk: string) => events.push(`write ${JSON.stringify(chunk)}`) };
  return { events, stream };
}

describe('coalescedOutput', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('gathers lines into one write 75 ms after the first (well within 100 ms), after beforeFlush', () => {
    const { events, stream } = recorder();
    const out = coalescedOutput(stream, { beforeFlush: () => events.push('beforeFlush') });
    out.write('a\n');
    vi.advanceTimersByTime(40);
    out.write('b\n');
    vi.advanceTimersByTime(34);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['beforeFlush', 'write "a\\nb\\n"']);
    // Nothing gathered: no write, and no beforeFlush either.
    vi.advanceTimersByTime(1000);
    out.write('c\n');
    vi.advanceTimersByTime(75);
    expect(events).toEqual(['beforeFlush', 'write "a\\nb\\n"', 'beforeFlush', 'write "c\\n"']);
  });

  it('writes at once when the size threshold is reached', () => {
    const { events, stream } = recorder();
    const out = coalescedOutput(stream, { maxChars: 6 });
    out.write('abc\n');
    expect(events).toEqual([]);
    out.write('def\n');
    expect(events).toEqual(['write "abc\\ndef\\n"']);
  });

  it('close() writes what is left; close({ discard }) drops it; nothing is written after close', () => {
    const kept = recorder();
    const out = coalescedOutput(kept.stream);
    out.write('last\n');
    out.close();
    out.write('late\n');
    vi.advanceTimersByTime(1000);
    expect(kept.events).toEqual(['write "last\\n"']);

    const dropped = recorder();
    const gone = coalescedOutput(dropped.stream);
    gone.write('nobody reads this\n');
    gone.close({ discard: true });
    vi.advanceTimersByTime(1000);
    expect(dropped.events).toEqual([]);
  });

  it('while the reader is behind, ready() waits for its drain, or for the run to stop', async () => {
    vi.useRealTimers();
    const reader = new EventEmitter();
    let accepting = false;
    const stream = {
      write: () => accepting,
      once: (event: 'drain', listener: () => void) => reader.once(event, listener),
    };
    const out = coalescedOutput(stream, { maxChars: 1 });
    expect(out.ready()).toBeUndefined();
    out.write('a\n');
    const waiting = out.ready();
    expect(waiting).toBeInstanceOf(Promise);
    let caughtUp = false;
    void waiting?.then(() => (caughtUp = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(caughtUp).toBe(false);
    accepting = true;
    reader.emit('drain');
    await waiting;
    expect(out.ready()).toBeUndefined();

    // `| head` went away: no drain will come, the abort ends the wait.
    accepting = false;
    const controller = new AbortController();
    const gone = coalescedOutput(stream, { maxChars: 1, signal: controller.signal });
    gone.write('b\n');
    const stuck = gone.ready();
    controller.abort();
    await stuck;
    expect(gone.ready()).toBeUndefined();
  });
});
