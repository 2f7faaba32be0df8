/**
 * The only module that speaks HTTP. Adapters describe requests (`HttpRequest`); this module owns
 * the timeout, redirects, the answer-size cap, status → error mapping and secret redaction, over
 * one transport (./transport.ts). It never retries: a 429 or 503 carries its Retry-After up to the
 * run, whose per-service throttle decides (src/core/run.ts), so a retry waits for, and counts
 * against, that service's rate limit.
 */
import type { ZodType, z } from 'zod';
// zod's error text alone, not the library: a lookup's requests go out before zod itself is loaded.
import { prettifyError } from 'zod/v4/core';
import { monotonicMs } from '../clock.js';
import {
  AuthError,
  BadResponseError,
  NetworkError,
  RateLimitError,
  ServiceError,
  TimeoutError,
  UnavailableError,
} from '../errors.js';
import { safeParse } from '../model/safe-parse.js';
import { VERSION } from '../version.js';
import { type Deadline, startDeadline } from './deadline.js';
import { redact } from './redact.js';
import { parseRetryAfter } from './retry-after.js';
import { type TransportRequest, type TransportResponse, transport } from './transport.js';

export interface HttpRequest {
  method?: 'GET' | 'POST';
  /** Path below the service's base URL, starting with `/`. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  /** Statuses that are answers rather than errors, e.g. `[404]` when 404 means "not found". */
  accept?: readonly number[];
}

export interface HttpResponse {
  status: number;
  /** A response header by lower-case name. */
  header(name: string): string | undefined;
  text: string;
  /** The body as JSON; a body that is not JSON is a `bad_response` error. */
  json(): unknown;
  /** The body as JSON, validated by a vendor schema; a mismatch is a `bad_response` error. */
  decode<T>(schema: ZodType<T>): T;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

export interface ServiceHttpOptions {
  /** Origin plus optional path prefix, e.g. `https://www.virustotal.com` or `http://127.0.0.1:9000/vt`. */
  baseUrl: string;
  /**
   * Values that must never appear in a message (API keys, tokens). Read at each use, never copied:
   * a service adds the tokens it derives during the run to the same live set.
   */
  secrets: Iterable<string | undefined>;
  timeoutMs: number;
  /** The run's signal: Ctrl-C aborts every request. */
  signal?: AbortSignal;
  /**
   * A deadline the requests share instead of starting one each (the lookup's, which already joins
   * the run's signal and ends no later than a request's own would): no timer, controller or
   * listener per request. The caller clears it.
   */
  deadline?: Deadline;
  /** The largest answer read, in bytes (default DEFAULT_MAX_ANSWER_BYTES). */
  maxAnswerBytes?: number;
  /**
   * Called before each request is sent, its promise (if any) awaited outside the request's
   * timeout: the run's throttle uses it to give every request of a lookup after the first a
   * rate-limit slot of its own.
   */
  beforeRequest?: () => Promise<void> | undefined;
  /** `--debug`: one line per request and redirect hop (method, URL with secrets masked, outcome, time); never headers or bodies. */
  log?: (line: string) => void;
}

/**
 * The largest real answers are a few MiB (a VirusTotal file report with every attribute); an answer
 * past this is a broken or hostile server, and reading on would only grow memory.
 */
export const DEFAULT_MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** Redirect hops followed for one request. */
export const MAX_REDIRECTS = 5;
const SNIPPET_LENGTH = 200;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createServiceHttp(options: ServiceHttpOptions): HttpClient {
  const clean = (text: string) => redact(text, options.secrets);

  return {
    async request(req) {
      const slot = options.beforeRequest?.();
      if (slot) await slot;
      // One deadline for the request, its redirects and the reading of its answer.
      const shared = options.deadline;
      const deadline = shared ?? startDeadline(options.timeoutMs, options.signal);
      const started = monotonicMs();
      const first = buildUrl(options.baseUrl, req);
      let url = first;
      let answered = false;
      const log = (outcome: string) => {
        if (!options.log) return;
        const ms = Math.round(monotonicMs() - started);
        options.log(clean(`${method(req)} ${url} → ${outcome} (${ms} ms)`));
      };
      try {
        const response = await send(req, first, options, deadline, clean, (hop) => {
          log(`${hop.status}, redirected to ${hop.to}`);
          url = hop.to;
        });
        const text = await readBody(response, options, deadline, clean);
        // One line per answer: its status and size (an error status says the rest in the row).
        if (options.log) log(`${response.status}, ${Buffer.byteLength(text)} bytes`);
        answered = true;
        if ((response.status >= 200 && response.status < 300) || req.accept?.includes(response.status)) {
          return toHttpResponse(response, text, clean);
        }
        throw statusError(response, text, clean);
      } catch (error) {
        if (!answered) log(error instanceof ServiceError ? `${error.code}: ${error.message}` : 'failed');
        throw error;
      } finally {
        if (!shared) deadline.clear();
      }
    },
  };
}

function method(req: HttpRequest): 'GET' | 'POST' {
  return req.method ?? (req.form || req.json !== undefined ? 'POST' : 'GET');
}

function buildUrl(baseUrl: string, req: HttpRequest): URL {
  const url = new URL(baseUrl.replace(/\/+$/, '') + req.path);
  for (const [key, value] of Object.entries(req.query ?? {})) url.searchParams.set(key, value);
  return url;
}

/**
 * Headers ti-check sends everywhere; the only ones that may follow a redirect to another host.
 * Shared by every request that adds none of its own (never changed: a request's own are a copy).
 */
const OWN_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'user-agent': `ti-check/${VERSION}`,
  accept: 'application/json',
});

function hasSecrets(secrets: Iterable<string | undefined>): boolean {
  for (const secret of secrets) if (secret) return true;
  return false;
}

/**
 * Sends the request and follows redirects itself, so that a credential never leaves its host:
 * - same origin: followed with everything (307/308 keep method and body; 301/302/303 become a GET);
 * - another origin: refused when the service has a key or token (it could only fail there without
 *   one, and must not leak it); a keyless service's GET follows with ti-check's own headers only;
 * - https → http, another scheme, or more than MAX_REDIRECTS hops: refused.
 */
async function send(
  req: HttpRequest,
  first: URL,
  options: ServiceHttpOptions,
  deadline: Deadline,
  clean: (text: string) => string,
  onHop: (hop: { status: number; to: URL }) => void,
): Promise<TransportResponse> {
  let url = first;
  let verb = method(req);
  let body: string | undefined;
  let contentType: string | undefined;
  if (req.form) {
    body = new URLSearchParams(req.form).toString();
    contentType = 'application/x-www-form-urlencoded';
  } else if (req.json !== undefined) {
    body = JSON.stringify(req.json);
    contentType = 'application/json';
  }
  let headers: Readonly<Record<string, string>> =
    req.headers || contentType
      ? { ...OWN_HEADERS, ...req.headers, ...(contentType ? { 'content-type': contentType } : {}) }
      : OWN_HEADERS;
  for (let hops = 0; ; hops++) {
    let response: TransportResponse;
    try {
      response = await transport()(new OutgoingRequest(url, verb, headers, body, deadline));
    } catch (cause) {
      throw abortError(cause, deadline, clean);
    }
    const location = REDIRECTS.has(response.status) ? response.header('location') : undefined;
    if (location === undefined) return response;
    response.discard();
    const hop = nextHop({
      status: response.status,
      from: url,
      location,
      origin: first.origin,
      hops,
      post: verb === 'POST',
      hasBody: body !== undefined,
      hasSecrets: hasSecrets(options.secrets),
    });
    if ('refused' in hop) throw new BadResponseError(clean(`redirect not followed: ${hop.refused}`));
    const next = hop.to;
    if (hop.becomesGet) {
      verb = 'GET';
      body = undefined;
      if ('content-type' in headers) {
        const { 'content-type': _dropped, ...rest } = headers;
        headers = rest;
      }
    }
    if (hop.ownHeadersOnly) headers = OWN_HEADERS;
    onHop({ status: response.status, to: next });
    url = next;
  }
}

/**
 * One request as a transport gets it. Its AbortSignal is the deadline's, made only when a transport
 * reads it (the tests' fetch one): both real transports subscribe to `watch`. A class, for its
 * getter: an object literal with one is a slow dictionary-mode object on Node 20.
 */
class OutgoingRequest implements TransportRequest {
  constructor(
    readonly url: URL,
    readonly method: 'GET' | 'POST',
    readonly headers: Readonly<Record<string, string>>,
    readonly body: string | undefined,
    readonly watch: Deadline,
  ) {}

  get signal(): AbortSignal {
    return this.watch.signal;
  }
}

export interface HopRequest {
  status: number;
  from: URL;
  location: string;
  /** The origin the service was asked at: its credentials belong there. */
  origin: string;
  /** Hops already followed. */
  hops: number;
  post: boolean;
  hasBody: boolean;
  hasSecrets: boolean;
}

export type Hop = { refused: string } | { to: URL; becomesGet: boolean; ownHeadersOnly: boolean };

/** The redirect rules (see `send`), as a pure decision. */
export function nextHop(hop: HopRequest): Hop {
  let to: URL;
  try {
    to = new URL(hop.location, hop.from);
  } catch {
    return { refused: `HTTP ${hop.status} to an invalid address` };
  }
  if (hop.hops >= MAX_REDIRECTS) return { refused: `more than ${MAX_REDIRECTS} redirects` };
  if (to.protocol !== 'https:' && to.protocol !== 'http:') {
    return { refused: `HTTP ${hop.status} to a ${to.protocol} address` };
  }
  if (hop.from.protocol === 'https:' && to.protocol === 'http:') {
    return { refused: `HTTP ${hop.status} from https to plain http (${to.host})` };
  }
  const becomesGet = hop.status === 303 || (hop.status !== 307 && hop.status !== 308 && hop.post);
  const crossOrigin = to.origin !== hop.origin;
  if (crossOrigin && hop.hasSecrets) {
    return { refused: `HTTP ${hop.status} to another host (${to.host}), which would receive the API key` };
  }
  if (crossOrigin && hop.hasBody && !becomesGet) {
    return { refused: `HTTP ${hop.status} re-posting the request to another host (${to.host})` };
  }
  return { to, becomesGet, ownHeadersOnly: crossOrigin };
}

/** Reads the whole answer, up to the cap: a larger one is an error, not a memory leak. */
async function readBody(
  response: TransportResponse,
  options: ServiceHttpOptions,
  deadline: Deadline,
  clean: (text: string) => string,
): Promise<string> {
  const cap = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      // Leaving the loop early destroys the stream: nothing more is read.
      if (size > cap) {
        throw new BadResponseError(`answer larger than ${formatMiB(cap)} MiB`);
      }
      chunks.push(chunk);
    }
  } catch (cause) {
    if (cause instanceof ServiceError) throw cause;
    if (deadline.aborted) throw abortError(cause, deadline, clean);
    throw new NetworkError(clean(`connection broke while reading the answer: ${describe(cause)}`), { cause });
  }
  // Mostly one chunk: decoded where it lies, not copied first.
  const [only] = chunks;
  if (chunks.length === 1 && only) return Buffer.from(only.buffer, only.byteOffset, size).toString('utf8');
  return Buffer.concat(chunks, size).toString('utf8');
}

function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? String(mib) : mib.toFixed(1);
}

function toHttpResponse(
  response: TransportResponse,
  text: string,
  clean: (text: string) => string,
): HttpResponse {
  const json = (): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      throw new BadResponseError(`expected JSON, got: ${snippet(text, clean)}`);
    }
  };
  return {
    status: response.status,
    header: (name) => response.header(name),
    text,
    json,
    decode: (schema) => checkAnswer(schema, json(), clean),
  };
}

/**
 * A vendor's answer read through its schema, or the BadResponseError of an answer that does not
 * match it: never a verdict. Every HTTP answer's `decode` goes through it, and so does an answer
 * that came another way (a DNS TXT record). `clean` redacts the message (zod quotes the values).
 */
export function checkAnswer<S extends ZodType>(
  schema: S,
  data: unknown,
  clean: (text: string) => string = (text) => text,
): z.output<S> {
  const parsed = safeParse(schema, data);
  if (!parsed.success) {
    throw new BadResponseError(
      clean(`answer does not match the expected schema: ${prettifyError(parsed.error)}`),
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/** Decide once, for every service, what an HTTP status means. */
function statusError(
  response: TransportResponse,
  text: string,
  clean: (text: string) => string,
): ServiceError {
  const status = response.status;
  // node:http loaded here, not at start-up (~20 ms): only a failed answer needs its reason phrases.
  const reason = process.getBuiltinModule('node:http').STATUS_CODES[status];
  const message = `HTTP ${status}${reason ? ` ${reason}` : ''}${text.trim() ? `: ${snippet(text, clean)}` : ''}`;
  const retryAfter = () => parseRetryAfter(response.header('retry-after') ?? null);
  if (status === 401 || status === 403) return new AuthError(message);
  if (status === 429) return new RateLimitError(message, retryAfter());
  if (status === 503) return new UnavailableError(message, retryAfter());
  if (status >= 500) return new UnavailableError(message);
  return new BadResponseError(message);
}

/** What a person can do about a timeout: the limit that was hit, and the two usual causes. */
export function timeoutMessage(timeoutMs: number): string {
  const seconds = Number((timeoutMs / 1000).toFixed(1));
  return `no answer within ${seconds} s (raise --timeout, or check HTTPS_PROXY)`;
}

function abortError(cause: unknown, deadline: Deadline, clean: (text: string) => string): ServiceError {
  if (deadline.expired) return new TimeoutError(timeoutMessage(deadline.ms), { cause });
  if (isAbort(cause) || deadline.aborted) return new NetworkError('request cancelled', { cause });
  return new NetworkError(clean(describe(cause)), { cause });
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** Transports hide the socket error in `cause`: surface it ("ECONNREFUSED 127.0.0.1:9"). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = error.cause instanceof Error ? error.cause : error;
  const code = (inner as NodeJS.ErrnoException).code;
  // Node's messages often name the code already ("getaddrinfo ENOTFOUND host"): say it once.
  return code && !inner.message.includes(code) ? `${code}: ${inner.message}` : inner.message;
}

/**
 * A vendor's body for a message: flattened, redacted, then cut. Redacting first means a key that
 * straddles the cut is masked whole; the generous first cut bounds the work on a huge body.
 */
function snippet(text: string, clean: (text: string) => string): string {
  const flat = clean(
    text
      .slice(0, SNIPPET_LENGTH * 8)
      .replace(/\s+/g, ' ')
      .trim(),
  );
  return flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH)}…` : flat;
}
