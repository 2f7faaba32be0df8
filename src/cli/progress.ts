/** A one-line progress display on stderr, only when stderr is a terminal; silent otherwise. */
import type { BatchCounters } from '../core/batch.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import type { OutputStream } from './io.js';

export interface Progress {
  /** Wipes the line so stdout output does not land in the middle of it. */
  clear(): void;
  stop(): void;
}

const INTERVAL_MS = 200;

/** For runs that write their own lines to stderr (`--debug`): a progress line would overwrite them. */
export const NO_PROGRESS: Progress = { clear: () => undefined, stop: () => undefined };

export function startProgress(
  stderr: OutputStream,
  counters: BatchCounters,
  limiters: ReadonlyMap<string, RateLimiter>,
): Progress {
  if (stderr.isTTY !== true) return NO_PROGRESS;
  let shown = false;
  let last = '';
  const draw = () => {
    const waits = [...limiters]
      .map(([id, l]) => [id, l.nextSlotInMs(), (l.sharedWaitMs?.() ?? 0) > 0] as const)
      .filter(([, ms]) => ms > 1000)
      // Waiting on other processes' use of a shared limit says so: the run is not stuck, it is queued.
      .map(([id, ms, fleet]) => `${id} waits ${Math.ceil(ms / 1000)}s${fleet ? ' for a shared slot' : ''}`);
    const text = [
      `${counters.targetsDone}/${counters.targetsQueued} targets`,
      `${counters.lookupsDone} lookups done, ${counters.lookupsInFlight} queued`,
      counters.cacheHits ? `${counters.cacheHits} from cache` : '',
      ...waits,
    ]
      .filter(Boolean)
      .join(' · ');
    const line = text.slice(0, (stderr.columns ?? 100) - 1);
    // Unchanged: nothing to write (a long rate-limit wait would otherwise send the same line 5 times a second).
    if (shown && line === last) return;
    redraw(line);
    last = line;
    shown = true;
  };
  const redraw = (line: string) => (stderr.status ? stderr.status(line) : stderr.write(`\r\u001b[K${line}`));
  const clear = () => {
    if (shown) redraw('');
    shown = false;
  };
  const timer = setInterval(draw, INTERVAL_MS);
  timer.unref();
  return {
    clear,
    stop: () => {
      clearInterval(timer);
      clear();
    },
  };
}
