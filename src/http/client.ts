/**
 * The only module that speaks HTTP. Adapters describe requests (`HttpRequest`); this module owns
 * fetch, the timeout, status → error mapping and secret redaction. It never retries: a 429 or 503
 * carries its Retry-After up to the run, whose per-service throttle decides (src/core/run.ts), so
 * a retry waits for, and counts against, that service's rate limit.
 */
import type { Dispatcher } from 'undici';
import { type ZodType, z } from 'zod';
import {
  AuthError,
  BadResponseError,
  NetworkError,
  RateLimitError,
  ServiceError,
  TimeoutError,
  UnavailableError,
} from '../errors.js';
import { VERSION } from '../version.js';
import { type Deadline, startDeadline } from './deadline.js';
import { sharedDispatcher } from './dispatcher.js';
import { redact } from './redact.js';
import { parseRetryAfter } from './retry-after.js';

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
  headers: Headers;
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
  /** Values that must never appear in a message (API keys, tokens). */
  secrets: readonly (string | undefined)[];
  timeoutMs: number;
  /** The run's signal: Ctrl-C aborts every request. */
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
  /**
   * Awaited before each request is sent, outside its timeout: the run's throttle uses it to give
   * every request of a lookup after the first a rate-limit slot of its own.
   */
  beforeRequest?: () => Promise<void>;
  /** `--debug`: one line per request (method, URL with secrets masked, outcome, time); never headers or bodies. */
  log?: (line: string) => void;
}

const SNIPPET_LENGTH = 200;

export function createServiceHttp(options: ServiceHttpOptions): HttpClient {
  const clean = (text: string) => redact(text, options.secrets);

  return {
    async request(req) {
      await options.beforeRequest?.();
      // One deadline for the request and the reading of its answer.
      const deadline = startDeadline(options.timeoutMs, options.signal);
      const { signal } = deadline;
      const started = performance.now();
      let logged = false;
      const log = (outcome: string) => {
        if (logged || !options.log) return;
        logged = true;
        const ms = Math.round(performance.now() - started);
        options.log(clean(`${method(req)} ${buildUrl(options.baseUrl, req)} → ${outcome} (${ms} ms)`));
      };
      try {
        const response = await send(req, options, signal, deadline, clean);
        const text = await readBody(response, signal, deadline, clean);
        if (options.log) log(`${response.status}, ${Buffer.byteLength(text)} bytes`);
        if (response.ok || req.accept?.includes(response.status)) {
          return toHttpResponse(response, text, clean);
        }
        throw statusError(response, text, clean);
      } catch (error) {
        log(error instanceof ServiceError ? `${error.code}: ${error.message}` : 'failed');
        throw error;
      } finally {
        deadline.clear();
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

async function send(
  req: HttpRequest,
  options: ServiceHttpOptions,
  signal: AbortSignal,
  deadline: Deadline,
  clean: (text: string) => string,
): Promise<Response> {
  const headers: Record<string, string> = {
    'user-agent': `ti-check/${VERSION}`,
    accept: 'application/json',
    ...req.headers,
  };
  let body: string | undefined;
  if (req.form) {
    body = new URLSearchParams(req.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (req.json !== undefined) {
    body = JSON.stringify(req.json);
    headers['content-type'] = 'application/json';
  }
  const init = {
    method: method(req),
    headers,
    body,
    signal,
    redirect: 'follow',
    dispatcher: options.dispatcher ?? sharedDispatcher(),
  } as unknown as RequestInit;
  try {
    return await fetch(buildUrl(options.baseUrl, req), init);
  } catch (cause) {
    throw abortError(cause, deadline, clean);
  }
}

async function readBody(
  response: Response,
  signal: AbortSignal,
  deadline: Deadline,
  clean: (text: string) => string,
): Promise<string> {
  try {
    return await response.text();
  } catch (cause) {
    if (signal.aborted) throw abortError(cause, deadline, clean);
    throw new NetworkError(clean(`connection broke while reading the answer: ${describe(cause)}`), { cause });
  }
}

function toHttpResponse(response: Response, text: string, clean: (text: string) => string): HttpResponse {
  const json = (): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      throw new BadResponseError(clean(`expected JSON, got: ${snippet(text)}`));
    }
  };
  return {
    status: response.status,
    headers: response.headers,
    text,
    json,
    decode(schema) {
      const parsed = schema.safeParse(json());
      if (!parsed.success) {
        throw new BadResponseError(
          clean(`answer does not match the expected schema: ${z.prettifyError(parsed.error)}`),
          { cause: parsed.error },
        );
      }
      return parsed.data;
    },
  };
}

/** Decide once, for every service, what an HTTP status means. */
function statusError(response: Response, text: string, clean: (text: string) => string): ServiceError {
  const message = clean(
    `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${
      text.trim() ? `: ${snippet(text)}` : ''
    }`,
  );
  const status = response.status;
  const retryAfter = () => parseRetryAfter(response.headers.get('retry-after'));
  if (status === 401 || status === 403) return new AuthError(message);
  if (status === 429) return new RateLimitError(message, retryAfter());
  if (status === 503) return new UnavailableError(message, retryAfter());
  if (status >= 500) return new UnavailableError(message);
  return new BadResponseError(message);
}

function abortError(cause: unknown, deadline: Deadline, clean: (text: string) => string): ServiceError {
  if (deadline.expired) return new TimeoutError('no answer before the timeout', { cause });
  if (isAbort(cause)) return new NetworkError('request cancelled', { cause });
  return new NetworkError(clean(describe(cause)), { cause });
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** fetch hides the socket error in `cause`: surface it ("ECONNREFUSED 127.0.0.1:9"). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    // Node's messages often name the code already ("getaddrinfo ENOTFOUND host"): say it once.
    return code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return error.message;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH)}…` : flat;
}
