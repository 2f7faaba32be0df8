/** What a transport is given and gives back: one request out, one answer's status, headers and body. */
import type { AbortWatch } from './abort-watch.js';

export interface TransportRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers: Readonly<Record<string, string>>;
  body?: string;
  signal: AbortSignal;
  /**
   * The same abort as `signal`, for a transport that can subscribe to it without an AbortSignal
   * (both real ones): the client passes its deadline here and makes `signal` only when read.
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
