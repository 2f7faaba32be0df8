/**
 * The socket end of the HTTP module: one request out, one answer's status, headers and body stream
 * back. Nothing else: no redirects (the client follows them itself, so that a key never leaves its
 * host), no body reading (the client caps it), no retries.
 *
 * The real transport is undici 7's `dispatch()` on the run's pooled, proxy-aware dispatcher — one
 * undici for the whole module, whatever Node bundles for its own `fetch`. `dispatch` rather than
 * `request()`: no Readable stream, async resource or abort-listener wrapper per request, only the
 * parser's callbacks (a batch of 100,000 lookups spent more in that machinery than in the parser).
 * Tests that intercept global `fetch` (nock) install a fetch-based transport with `useTransport`.
 */
import type { Dispatcher } from 'undici';
import type { Deadline } from './deadline.js';
import { sharedDispatcher } from './dispatcher.js';

/** What aborts a request, as a deadline offers it: without an EventTarget. */
export type AbortWatch = Pick<Deadline, 'aborted' | 'reason' | 'onAbort'>;

export interface TransportRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers: Readonly<Record<string, string>>;
  body?: string;
  signal: AbortSignal;
  /**
   * The same abort as `signal`, for a transport that can subscribe to it without an AbortSignal
   * (the undici one): the client passes its deadline here and makes `signal` only when read.
   */
  watch?: AbortWatch;
}

export interface TransportResponse {
  status: number;
  /** Header lookup by lower-case name; the first value when the header came several times. */
  header(name: string): string | undefined;
  body: AsyncIterable<Uint8Array>;
  /** The body is not wanted (a redirect's): read it away in the background so the connection is freed. */
  discard(): void;
}

export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

export const undiciTransport: Transport = (req) =>
  new Promise<TransportResponse>((resolve, reject) => {
    const watch = req.watch ?? watchSignal(req.signal);
    if (watch.aborted) {
      reject(watch.reason);
      return;
    }
    const exchange = new Exchange(watch, resolve, reject);
    const options: Dispatcher.DispatchOptions = {
      origin: req.url.origin,
      path: `${req.url.pathname}${req.url.search}`,
      method: req.method,
      headers: req.headers,
      body: req.body,
    };
    const dispatcher = sharedDispatcher();
    // The first request waits for undici to load; an abort meanwhile is seen at onConnect.
    if (dispatcher instanceof Promise) dispatcher.then((d) => d.dispatch(options, exchange), reject);
    else dispatcher.dispatch(options, exchange);
  });

function watchSignal(signal: AbortSignal): AbortWatch {
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

/** Unread body bytes queued before the parser is paused until the reader catches up. */
const HIGH_WATER_BYTES = 64 * 1024;
/** A discarded body up to this size is read away and the connection kept; a larger one closes it. */
const DISCARD_BYTES = 128 * 1024;

/**
 * One request's answer, fed by undici's parser callbacks (its "legacy" handler interface, which
 * undici 7 passes through unwrapped): the status and raw headers settle the promise, the body's
 * chunks queue for the reader, which pauses the parser while it is behind. The signal aborts the
 * request (the socket goes), whatever stage it is at; so does a reader that stops early.
 */
class Exchange implements Dispatcher.DispatchHandler, AsyncIterator<Uint8Array> {
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

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
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

/** undici's abort takes an Error; a DOMException (a timeout) is one. */
function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** undici's raw headers: name, value, name, value… as bytes; the first value of a name wins. */
function parseHeaders(raw: Buffer[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as Buffer).toString('latin1').toLowerCase();
    if (!headers.has(name)) headers.set(name, (raw[i + 1] as Buffer).toString('latin1'));
  }
  return headers;
}

let current: Transport = undiciTransport;

/** The transport every service client uses from now on (tests; embedding in another HTTP stack). */
export function useTransport(transport: Transport): void {
  current = transport;
}

/**
 * Resolves once the transport can send at once; undefined when it already can. The first request
 * of a run waits here for undici to load, before it takes a rate-limit slot: a slot taken and then
 * held up by the load would bunch the next window's requests together at the vendor.
 */
export function transportReady(): Promise<unknown> | undefined {
  if (current !== undiciTransport) return undefined;
  const dispatcher = sharedDispatcher();
  return dispatcher instanceof Promise ? dispatcher : undefined;
}

export function transport(): Transport {
  return current;
}
