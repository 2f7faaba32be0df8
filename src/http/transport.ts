/**
 * The socket end of the HTTP module: one request out, one answer's status, headers and body stream
 * back. Nothing else: no redirects (the client follows them itself, so that a key never leaves its
 * host), no body reading (the client caps it), no retries.
 *
 * Two real transports. Without a proxy, Node's own HTTP stack (node-transport.ts): it is part of
 * Node, so the first request loads nothing. With HTTPS_PROXY / HTTP_PROXY set, undici 7's
 * `dispatch()` on the run's pooled, proxy-aware dispatcher (below) — one undici for the whole
 * module, whatever Node bundles for its own `fetch`. `dispatch` rather than
 * `request()`: no Readable stream, async resource or abort-listener wrapper per request, only the
 * parser's callbacks (a batch of 100,000 lookups spent more in that machinery than in the parser).
 * Tests that intercept global `fetch` (nock) install a fetch-based transport with `useTransport`.
 */
import type { Dispatcher } from 'undici';
import { type AbortWatch, watchSignal } from './abort-watch.js';
import { proxyConfigured, sharedDispatcher } from './dispatcher.js';
import { Exchange } from './exchange.js';
import { nodeTransport } from './node-transport.js';

export type { AbortWatch } from './abort-watch.js';

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

/**
 * The transport of this run unless one was set: Node's own HTTP stack (src/http/node-transport.ts,
 * no module to load), or undici's proxy-aware agent when HTTPS_PROXY / HTTP_PROXY is set.
 */
function defaultTransport(): Transport {
  return proxyConfigured(process.env) ? undiciTransport : nodeTransport;
}

let current: Transport | undefined;

/** The transport every service client uses from now on (tests; embedding in another HTTP stack). */
export function useTransport(transport: Transport): void {
  current = transport;
}

/**
 * Resolves once the transport can send at once; undefined when it already can. The first request
 * of a proxied run waits here for undici to load, before it takes a rate-limit slot: a slot taken
 * and then held up by the load would bunch the next window's requests together at the vendor.
 */
export function transportReady(): Promise<unknown> | undefined {
  if (transport() !== undiciTransport) return undefined;
  const dispatcher = sharedDispatcher();
  return dispatcher instanceof Promise ? dispatcher : undefined;
}

export function transport(): Transport {
  current ??= defaultTransport();
  return current;
}
