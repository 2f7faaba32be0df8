/**
 * A deadline joined with a parent signal, like `AbortSignal.any([parent, AbortSignal.timeout(ms)])`,
 * but its timer is cleared as soon as the work ends. With `AbortSignal.timeout`, every finished
 * lookup of a batch would keep its timer and signals alive for the full timeout (20 s × 1000/s).
 */
export interface Deadline {
  signal: AbortSignal;
  /** True once the time ran out (as opposed to the parent aborting). */
  readonly expired: boolean;
  /** Stop the timer and let go of the parent; call when the work is done. */
  clear(): void;
}

export function startDeadline(ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException('The operation timed out.', 'TimeoutError'));
  }, ms);
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    clear() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
