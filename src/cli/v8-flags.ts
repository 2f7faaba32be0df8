/**
 * The V8 settings of the CLI's own process for heavy work (src/process-tuning.ts says when), never
 * a library caller's: its process is its own business.
 *
 * V8's cached code carries the flags it was made under, and V8 refuses it under other flags. A run
 * that sets these compiles the bundle's chunks it loads afterwards under them: `v8FlagsTag` names
 * the flags in force, and the code cache keeps a file for each (src/cli/code-cache.ts), so that
 * short runs and batches do not keep replacing each other's.
 */

/** The heap may grow by this much past what survived the last full collection (V8's own: up to 300 %). */
const HEAP_GROWING_PERCENT = 50;

let tuned = false;

export function tuneV8ForHeavyWork(): void {
  if (tuned) return;
  tuned = true;
  // node:v8 when needed: loading it brings along stream and heap modules a short run has no use for.
  const { setFlagsFromString } = process.getBuiltinModule('node:v8');
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
  // The young generation, where a batch's garbage is born and dies. From V8 13 (Node 24 onwards)
  // it may grow to 64 MiB where Node 20's and 22's stop at 32 MiB, and a batch's peak RSS on Node
  // 26 went over 160 MiB with it (167 MiB at 30,000 hashes, 176 MiB at 100,000). Kept at its first
  // size there (a growth factor of 1): 119 and 126 MiB, for ~10 % of the batch's throughput. Node
  // 20 and 22 keep V8's growth: there it would cost 12-20 % for memory already under the mark.
  if (youngGenerationGrowsTo64MiB(process.versions.v8)) setFlagsFromString('--semi-space-growth-factor=1');
}

/** V8 13 and later (Node 24 onwards), by the version string (`process.versions.v8`). */
export function youngGenerationGrowsTo64MiB(v8Version: string): boolean {
  return Number.parseInt(v8Version, 10) >= 13;
}

/** '' under V8's own flags, '-tuned' once `tuneV8ForHeavyWork` has run: part of a code cache file's name. */
export function v8FlagsTag(): string {
  return tuned ? '-tuned' : '';
}
