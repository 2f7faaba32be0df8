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
    lastIso = formatIso(ms);
    lastMs = ms;
  }
  return lastIso;
}

/**
 * `toISOString()`, written out by hand for years 0 to 9999: Node 20's first `toISOString()` of a
 * process takes ~0.7 ms, and a one-hash lookup stamps its answers after they came, on the way to the
 * report. Other years (and NaN, which throws) are left to `toISOString()` itself.
 */
function formatIso(ms: number): string {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) return date.toISOString();
  return `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}T${pad(
    date.getUTCHours(),
    2,
  )}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}Z`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
