/** What aborts a request, as both transports take it: a deadline's own, or an AbortSignal's. */
import type { Deadline } from './deadline.js';

/** What aborts a request, as a deadline offers it: without an EventTarget. */
export type AbortWatch = Pick<Deadline, 'aborted' | 'reason' | 'onAbort'>;

/** An AbortSignal seen as an AbortWatch (a caller that has no deadline). */
export function watchSignal(signal: AbortSignal): AbortWatch {
  return {
    get aborted() {
      return signal.aborted;
    },
    get reason() {
      return signal.reason;
    },
    onAbort(listener) {
      const onAbort = () => listener(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      return () => signal.removeEventListener('abort', onAbort);
    },
  };
}

/** Sockets are destroyed with an Error; a DOMException (a timeout) is one. */
export function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
