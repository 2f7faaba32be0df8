/**
 * Loads a run will need soon, but not before its requests are on the wire: the vendors' schema
 * chunks and the renderers, compiled while the answers are on their way.
 *
 * The first load waits for one full turn of the event loop, and each load then has a turn of its
 * own. A lookup starts its request and asks for its schemas in the same turn; Node connects the
 * socket in that turn but writes the request only in a later one, once the connection is up. A chunk
 * compiled in between (a few ms each, ten of them for ten services) would hold every request back.
 * So: one turn left to I/O first, and never more than one chunk between two looks at the sockets.
 *
 * `setImmediate` is node:timers' own: fake timers in a test replace the global one only.
 */
import { setImmediate } from 'node:timers';

const waiting: Array<() => void> = [];
let scheduled = false;

export function loadSoon<T>(load: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    waiting.push(() => {
      Promise.resolve().then(load).then(resolve, reject);
    });
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => setImmediate(loadNext));
    }
  });
}

function loadNext(): void {
  waiting.shift()?.();
  if (waiting.length > 0) setImmediate(loadNext);
  else scheduled = false;
}
