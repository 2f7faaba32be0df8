/**
 * The socket end of the HTTP module: one request out, one answer's status, headers and body stream
 * back. Nothing else: no redirects (the client follows them itself, so that a key never leaves its
 * host), no body reading (the client caps it), no retries.
 *
 * The real transport is undici 7's `request()` on the run's pooled, proxy-aware dispatcher — one
 * undici for the whole module, whatever Node bundles for its own `fetch`. Tests that intercept
 * global `fetch` (nock) install a fetch-based transport with `useTransport`.
 */
import { request } from 'undici';
import { sharedDispatcher } from './dispatcher.js';

export interface TransportRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
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

export const undiciTransport: Transport = async (req) => {
  const res = await request(req.url, {
    method: req.method,
    headers: req.headers,
    body: req.body,
    signal: req.signal,
    dispatcher: sharedDispatcher(),
  });
  return {
    status: res.statusCode,
    header: (name) => {
      const value = res.headers[name];
      return Array.isArray(value) ? value[0] : value;
    },
    body: res.body,
    // dump() reads up to 128 KiB away and keeps the connection; a larger body closes it.
    discard: () => void res.body.dump().catch(() => undefined),
  };
};

let current: Transport = undiciTransport;

/** The transport every service client uses from now on (tests; embedding in another HTTP stack). */
export function useTransport(transport: Transport): void {
  current = transport;
}

export function transport(): Transport {
  return current;
}
