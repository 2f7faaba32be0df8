/**
 * A deadline joined with a parent signal, like `AbortSignal.any([parent, AbortSignal.timeout(ms)])`,
 * but its timer is cleared as soon as the work ends. With `AbortSignal.timeout`, every finished
 * lookup of a batch would keep its timer and signals alive for the full timeout (20 s × 1000/s).
 */
export interface Deadline {
  signal: AbortSignal;
  /** The time allowed, in milliseconds. */
  readonly ms: number;
  /** True once the time ran out (as opposed to the parent aborting). */
  readonly expired: boolean;
  /** Stop the timer and let go of the parent; call when the work is done. */
  clear(): void;
  /**
   * Stops the clock (the parent still aborts); the returned function restarts it with the time
   * that was left. For waits that are not the work's fault, such as a rate-limit slot.
   */
  hold(): () => void;
}

/**
 * `onAbort`: called once when the deadline aborts (after its signal), with the reason and whether
 * the time ran out; cheaper than a listener on the signal for whoever starts the deadline.
 */
export function startDeadline(
  ms: number,
  parent?: AbortSignal,
  onAbort?: (reason: unknown, expired: boolean) => void,
): Deadline {
  const controller = new AbortController();
  let expired = false;
  let endsAt = performance.now() + ms;
  const abort = (reason: unknown) => {
    if (controller.signal.aborted) return;
    controller.abort(reason);
    onAbort?.(reason, expired);
  };
  const expire = () => {
    expired = true;
    abort(new DOMException('The operation timed out.', 'TimeoutError'));
  };
  let timer: NodeJS.Timeout | undefined = setTimeout(expire, ms);
  let cleared = false;
  const onParentAbort = () => abort(parent?.reason);
  if (parent?.aborted) abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    ms,
    get expired() {
      return expired;
    },
    clear() {
      cleared = true;
      clearTimeout(timer);
      timer = undefined;
      parent?.removeEventListener('abort', onParentAbort);
    },
    hold() {
      if (timer === undefined || expired) return () => undefined;
      clearTimeout(timer);
      timer = undefined;
      const left = Math.max(0, endsAt - performance.now());
      let resumed = false;
      return () => {
        if (resumed || cleared || controller.signal.aborted) return;
        resumed = true;
        endsAt = performance.now() + left;
        timer = setTimeout(expire, left);
      };
    },
  };
}
