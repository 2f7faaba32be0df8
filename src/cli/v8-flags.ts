/**
 * The V8 settings of the CLI's own process (never a library caller's: its process is its own
 * business). Set before the bundle loads: V8's cached code carries the flags it was made under, and
 * a flag changed later would make every run's cache look stale to the next (src/cli/code-cache.ts).
 */
import { setFlagsFromString } from 'node:v8';

/** The heap may grow by this much past what survived the last full collection (V8's own: up to 300 %). */
const HEAP_GROWING_PERCENT = 50;

export function setCliV8Flags(): void {
  // undici's HTTP parser is WebAssembly: V8 compiles it at once with Liftoff, then again in the
  // background with TurboFan, and the process waits for that at exit (150–400 ms after the report,
  // for a parser that is never hot enough to need it). Liftoff only: no second compile, no wait.
  setFlagsFromString('--liftoff-only');
  // Keeps a long batch's memory flat. A batch allocates fast (every answer, row and line is garbage
  // soon after) while little stays alive (a window of targets, a bounded memo), and V8 lets the
  // heap grow to about four times what survived its last full collection before it collects
  // again: some 100 MiB of garbage on top of a 25 MiB program. At 1.5× the full collections come
  // more often (each a few ms, incremental) and peak RSS stays well under 160 MiB whatever the count.
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
