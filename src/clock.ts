/**
 * Milliseconds on a monotonic clock, as `performance.now()` but for its origin. The global
 * `performance` loads perf_hooks on first use, eleven of Node's own modules (~2 ms of a start-up,
 * before the first request goes out); `process.hrtime()` is part of the process object.
 */
export function monotonicMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}

let lastMs = Number.NaN;
let lastIso = '';

/**
 * `new Date(ms).toISOString()`, the last one kept: a batch stamps thousands of answers within the
 * same millisecond, and Node 20 takes ~1 µs to format each.
 */
export function isoTime(ms: number = Date.now()): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
