/** A request's answer as both transports hand it on: status, headers, and a body read with backpressure. */
import type { Dispatcher } from 'undici';
import { type AbortWatch, asError, watchSignal } from './abort-watch.js';
import type { TransportRequest, TransportResponse } from './wire.js';

/** Unread body bytes queued before the parser is paused until the reader catches up. */
const HIGH_WATER_BYTES = 64 * 1024;
/** A discarded body up to this size is read away and the connection kept; a larger one closes it. */
const DISCARD_BYTES = 128 * 1024;

/**
 * The exchange of `req`, whose answer settles `resolve` / `reject`; undefined (and `reject` called
 * with the reason) when the request was aborted before it started.
 */
export function startExchange(
  req: TransportRequest,
  resolve: (response: TransportResponse) => void,
  reject: (error: unknown) => void,
): Exchange | undefined {
  const watch = req.watch ?? watchSignal(req.signal);
  if (watch.aborted) {
    reject(watch.reason);
    return undefined;
  }
  return new Exchange(watch, resolve, reject);
}

/**
 * One request's answer, fed by undici's parser callbacks (its "legacy" handler interface, which
 * undici 7 passes through unwrapped) or by a node:http response's events (node-transport.ts): the
 * status and raw headers settle the promise, the body's chunks queue for the reader, which pauses
 * the parser (or the response) while it is behind. The signal aborts the request (the socket
 * goes), whatever stage it is at; so does a reader that stops early.
 */
export class Exchange implements Dispatcher.DispatchHandler, AsyncIterator<Uint8Array> {
  #abort: ((reason?: Error) => void) | undefined;
  #resume: (() => void) | undefined;
  #resolve: ((response: TransportResponse) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  readonly #watch: AbortWatch;
  #unwatch: (() => void) | undefined;
  #chunks: Buffer[] = [];
  #queued = 0;
  #paused = false;
  #ended = false;
  #error: unknown;
  #discarding = false;
  #discarded = 0;
  #waiting: { resolve: (next: IteratorResult<Uint8Array>) => void; reject: (e: unknown) => void } | undefined;

  constructor(
    watch: AbortWatch,
    resolve: (response: TransportResponse) => void,
    reject: (error: unknown) => void,
  ) {
    this.#watch = watch;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#unwatch = watch.onAbort((reason) => this.#cancel(reason));
  }

  #stopWatching(): void {
    this.#unwatch?.();
    this.#unwatch = undefined;
  }

  #cancel(reason: unknown): void {
    const error = asError(reason);
    if (this.#abort) this.#abort(error);
    else this.#fail(error);
  }

  #fail(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    this.#stopWatching();
    this.#chunks = [];
    if (this.#reject) {
      const reject = this.#reject;
      this.#resolve = this.#reject = undefined;
      reject(error);
    }
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.reject(error);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.#abort = abort;
    if (this.#watch.aborted) abort(asError(this.#watch.reason));
  }

  onHeaders(statusCode: number, rawHeaders: readonly (Buffer | string)[], resume: () => void): boolean {
    // 1xx (100 Continue, 103 Early Hints): the answer is still to come.
    if (statusCode < 200) return true;
    this.#resume = resume;
    const resolve = this.#resolve;
    this.#resolve = this.#reject = undefined;
    let headers: Map<string, string> | undefined;
    resolve?.({
      status: statusCode,
      header: (name) => {
        headers ??= parseHeaders(rawHeaders);
        return headers.get(name);
      },
      body: { [Symbol.asyncIterator]: () => this },
      discard: () => this.#discard(),
    });
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#discarding) {
      this.#discarded += chunk.length;
      if (this.#discarded > DISCARD_BYTES) this.#abort?.();
      return true;
    }
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      waiting.resolve({ value: chunk, done: false });
      return true;
    }
    this.#chunks.push(chunk);
    this.#queued += chunk.length;
    if (this.#queued < HIGH_WATER_BYTES) return true;
    this.#paused = true;
    return false;
  }

  onComplete(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#stopWatching();
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.resolve({ value: undefined, done: true });
  }

  onError(error: Error): void {
    this.#fail(error);
  }

  onUpgrade(): void {
    this.#fail(new Error('unexpected protocol upgrade'));
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.#chunks.shift();
    if (chunk) {
      this.#queued -= chunk.length;
      if (this.#paused && this.#queued < HIGH_WATER_BYTES) {
        this.#paused = false;
        this.#resume?.();
      }
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  /** The reader stopped early (an answer past the cap): nothing more is read, the socket goes. */
  return(): Promise<IteratorResult<Uint8Array>> {
    this.#stop();
    return Promise.resolve({ value: undefined, done: true });
  }

  #stop(): void {
    this.#chunks = [];
    if (this.#ended) return;
    this.#abort?.();
    this.#fail(new Error('body not read'));
  }

  #discard(): void {
    if (this.#ended) return;
    this.#discarding = true;
    this.#discarded = this.#queued;
    this.#chunks = [];
    this.#queued = 0;
    if (this.#discarded > DISCARD_BYTES) this.#stop();
    else if (this.#paused) {
      this.#paused = false;
      this.#resume?.();
    }
  }
}

/** Raw headers: name, value, name, value… (undici's as bytes); the first value of a name wins. */
function parseHeaders(raw: readonly (Buffer | string)[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = latin1(raw[i] as Buffer | string).toLowerCase();
    if (!headers.has(name)) headers.set(name, latin1(raw[i + 1] as Buffer | string));
  }
  return headers;
}

function latin1(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('latin1');
}
