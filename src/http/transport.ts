/**
 * The socket end of the HTTP module: one request out, one answer's status, headers and body stream
 * back. Nothing else: no redirects (the client follows them itself, so that a key never leaves its
 * host), no body reading (the client caps it), no retries.
 *
 * Two real transports, picked by `autoTransport`. Node's own HTTP stack (node-transport.ts) is part
 * of Node, so a run's first request loads nothing. undici 7's `dispatch()` on the run's pooled,
 * proxy-aware dispatcher (below) — one undici for the whole module, whatever Node bundles for its
 * own `fetch` — serves runs behind HTTPS_PROXY / HTTP_PROXY, and batches once loaded. `dispatch`
 * rather than `request()`: no Readable stream, async resource or abort-listener wrapper per
 * request, only the parser's callbacks (a batch of 100,000 lookups spent more in that machinery
 * than in the parser).
 * Tests that intercept global `fetch` (nock) install a fetch-based transport with `useTransport`.
 */
import type { Dispatcher } from 'undici';
import { closeSharedDispatcher, proxyConfigured, sharedDispatcher } from './dispatcher.js';
import { startExchange } from './exchange.js';
import { closeNodeAgents, nodeTransport } from './node-transport.js';
import type { Transport, TransportResponse } from './wire.js';

export type { AbortWatch } from './abort-watch.js';

export type { Transport, TransportRequest, TransportResponse } from './wire.js';

export const undiciTransport: Transport = (req) =>
  new Promise<TransportResponse>((resolve, reject) => {
    const exchange = startExchange(req, resolve, reject);
    if (!exchange) return;
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
 * Requests a run sends through Node's own stack before it loads undici. Node's needs no load, so
 * a run of a few lookups starts at once; undici's dispatch costs about half as much CPU a request,
 * which pays for its load (~120 ms) over a batch. The load starts at this request, and requests go
 * on through Node's stack until it is done.
 */
const REQUESTS_BEFORE_UNDICI = 256;
let sent = 0;
let proxied: boolean | undefined;
function isProxied(): boolean {
  proxied ??= proxyConfigured(process.env);
  return proxied;
}

/**
 * The transport of the binary: undici's proxy-aware agent when HTTPS_PROXY / HTTP_PROXY is set,
 * otherwise Node's own HTTP stack (src/http/node-transport.ts) for a run's first requests and
 * undici's agent once a batch has loaded it.
 */
export const autoTransport: Transport = (req) => {
  if (isProxied()) return undiciTransport(req);
  if (++sent <= REQUESTS_BEFORE_UNDICI) return nodeTransport(req);
  const dispatcher = sharedDispatcher();
  return dispatcher instanceof Promise ? nodeTransport(req) : undiciTransport(req);
};

let current: Transport = autoTransport;

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
  const waits = current === undiciTransport || (current === autoTransport && isProxied());
  if (!waits) return undefined;
  const dispatcher = sharedDispatcher();
  return dispatcher instanceof Promise ? dispatcher : undefined;
}

export function transport(): Transport {
  return current;
}

/**
 * Drops every pooled socket (the node:http agents' and undici's) once the report is out, so that
 * the process ends at once.
 */
export async function closeTransports(): Promise<void> {
  closeNodeAgents();
  await closeSharedDispatcher();
}
