/**
 * Settings that pay off only for a process that works hard: a batch of many targets, or a run that
 * loads undici (its HTTP parser is WebAssembly). The CLI says what they are (src/cli/v8-flags.ts),
 * and applies them only once such work is ahead, because applying them costs a short run ~15 ms:
 * V8's flags are part of the key of every code cache, Node's own included, so each of Node's
 * modules loaded afterwards (net, http, tls, fs/promises…) is compiled from source instead of taken
 * from the cache Node ships with.
 *
 * A library caller's process is its own business: nothing is set up, and `tuneProcess` does nothing.
 */
let tune: (() => void) | undefined;

/** The CLI's settings, applied by the first `tuneProcess()`. */
export function setProcessTuning(apply: (() => void) | undefined): void {
  tune = apply;
}

/** Heavy work is ahead: apply the settings, once (no-op without any, or after the first call). */
export function tuneProcess(): void {
  const apply = tune;
  tune = undefined;
  apply?.();
}
