/**
 * A deadline joined with a parent signal, like `AbortSignal.any([parent, AbortSignal.timeout(ms)])`,
 * but its timer is cleared as soon as the work ends. With `AbortSignal.timeout`, every finished
 * lookup of a batch would keep its timer and signals alive for the full timeout (20 s × 1000/s).
 *
 * Cheap enough for one per lookup of a 100,000-hash batch: its AbortSignal is only made when
 * somebody asks for it (the undici transport subscribes with `onAbort` instead), and every deadline
 * of one parent shares a single listener on it rather than adding and removing its own.
 */
import { monotonicMs } from '../clock.js';

export interface Deadline {
  /** Aborts when the time runs out or the parent aborts. Made on first use. */
  readonly signal: AbortSignal;
  /** The time allowed, in milliseconds. */
  readonly ms: number;
  /** True once the time ran out (as opposed to the parent aborting). */
  readonly expired: boolean;
  /** True once the deadline aborted, for either reason. */
  readonly aborted: boolean;
  /** Why it aborted (a TimeoutError DOMException, or the parent's reason). */
  readonly reason: unknown;
  /**
   * Calls `listener` once when the deadline aborts (at once when it has); the returned function
   * unsubscribes. What `signal.addEventListener('abort', …)` does, without an EventTarget.
   */
  onAbort(listener: (reason: unknown) => void): () => void;
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
  return new TimedDeadline(ms, parent, onAbort);
}

/** The deadlines under way per parent signal, with the one listener that aborts them all. */
const children = new WeakMap<AbortSignal, Set<TimedDeadline>>();

function follow(parent: AbortSignal, deadline: TimedDeadline): void {
  let set = children.get(parent);
  if (!set) {
    const created = new Set<TimedDeadline>();
    set = created;
    children.set(parent, created);
    parent.addEventListener(
      'abort',
      () => {
        for (const child of [...created]) child.abortWith(parent.reason);
        created.clear();
      },
      { once: true },
    );
  }
  set.add(deadline);
}

class TimedDeadline implements Deadline {
  readonly ms: number;
  #parent: AbortSignal | undefined;
  #notify: ((reason: unknown, expired: boolean) => void) | undefined;
  #controller: AbortController | undefined;
  #listeners: Array<(reason: unknown) => void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #endsAt: number;
  #expired = false;
  #aborted = false;
  #cleared = false;
  #reason: unknown;

  constructor(ms: number, parent?: AbortSignal, notify?: (reason: unknown, expired: boolean) => void) {
    this.ms = ms;
    this.#notify = notify;
    this.#endsAt = monotonicMs() + ms;
    this.#timer = setTimeout(() => this.#expire(), ms);
    if (parent?.aborted) this.abortWith(parent.reason);
    else if (parent) {
      this.#parent = parent;
      follow(parent, this);
    }
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  get expired(): boolean {
    return this.#expired;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  #expire(): void {
    this.#timer = undefined;
    this.#expired = true;
    this.abortWith(new DOMException('The operation timed out.', 'TimeoutError'));
  }

  /** Aborts now (the parent's listener calls this). */
  abortWith(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#unfollow();
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener(reason);
    this.#notify?.(reason, this.#expired);
  }

  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.#aborted) {
      listener(this.#reason);
      return () => {};
    }
    if (this.#cleared) return () => {};
    this.#listeners ??= [];
    this.#listeners.push(listener);
    return () => {
      const at = this.#listeners?.indexOf(listener) ?? -1;
      if (at !== -1) this.#listeners?.splice(at, 1);
    };
  }

  #unfollow(): void {
    if (this.#parent) children.get(this.#parent)?.delete(this);
    this.#parent = undefined;
  }

  clear(): void {
    this.#cleared = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#unfollow();
    this.#listeners = undefined;
  }

  hold(): () => void {
    if (this.#timer === undefined || this.#expired) return () => undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const left = Math.max(0, this.#endsAt - monotonicMs());
    let resumed = false;
    return () => {
      if (resumed || this.#cleared || this.#aborted) return;
      resumed = true;
      this.#endsAt = monotonicMs() + left;
      this.#timer = setTimeout(() => this.#expire(), left);
    };
  }
}
