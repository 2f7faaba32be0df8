/**
 * The lookup run: every service of a target is asked at the same time; one failing, drifting or
 * hanging vendor becomes an error row and never holds back the others.
 */

import { monotonicMs } from '../clock.js';
import { createServiceDns } from '../dns/client.js';
import type { DnsClient } from '../dns/types.js';
import {
  AuthError,
  NetworkError,
  RateLimitError,
  ServiceError,
  TimeoutError,
  UnavailableError,
} from '../errors.js';
import { createServiceHttp, type HttpClient, timeoutMessage } from '../http/client.js';
import { type Deadline, startDeadline } from '../http/deadline.js';
import { QuotaExhaustedError, type RateLimiter } from '../http/rate-limiter.js';
import type { SecretSet } from '../http/redact.js';
import { transportReady } from '../http/transport.js';
import type { Policy } from '../model/policy.js';
import type { HashRef, ServiceResult, Target } from '../model/report.js';
import { withFields } from '../model/with-fields.js';
import { toServiceResult } from '../normalize/result.js';
import type { LookupContext } from '../services/types.js';
import { envStem, type PreparedService } from './prepare.js';
import { type Admission, rejectedKeyError } from './service-run.js';
import { pickHash } from './targets.js';

export interface RunOptions {
  policy: Policy;
  /** Ctrl-C: aborts every lookup in flight. */
  signal?: AbortSignal;
  /** Batch runs: the service's throttle. A lookup waits for a slot before its deadline starts. */
  limiterFor?: (serviceId: string) => RateLimiter | undefined;
  /** `--debug`: what each service does (requests, waits, retries), secrets masked; a line at a time. */
  debug?: (line: string) => void;
}

/** Longest Retry-After a service is paused for; a 429 asking for longer means its quota is spent. */
const MAX_BACKOFF_SECONDS = 120;
/** Retries of one lookup after a 429 or 503 with Retry-After. */
const MAX_RETRIES = 2;

export function checkService(
  target: Target,
  service: PreparedService,
  options: RunOptions,
): Promise<ServiceResult> {
  const { definition } = service;
  try {
    if (service.disabledReason)
      return Promise.resolve(grayResult(definition.id, 'disabled', service.disabledReason));
    const hash = pickHash(target, definition.hashTypes);
    if (!hash) {
      return Promise.resolve(
        grayResult(definition.id, 'unsupported', `accepts ${definition.hashTypes.join(', ')} only`),
      );
    }
    // Not an async function of its own around askService: a batch makes one lookup after another,
    // and every layer of promises is garbage and a turn of the microtask queue per lookup.
    return askService(service, hash, options);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Everything that leaves here, the cache and every renderer included, is redacted: a vendor that
 * echoes the key inside an answer (an engine name, a comment) cannot get it printed or stored.
 */
async function askService(
  service: PreparedService,
  hash: HashRef,
  options: RunOptions,
): Promise<ServiceResult> {
  const { definition } = service;
  const { secrets } = service.run;
  const limiter = options.limiterFor?.(definition.id);
  const debug = options.debug && ((line: string) => options.debug?.(`${definition.id}: ${line}`));
  for (let attempt = 0; ; attempt++) {
    let started = monotonicMs();
    const elapsed = () => Math.round(monotonicMs() - started);
    let acquired = false;
    let admission: Admission | undefined;
    try {
      // A written-off service fails here, without a request; a paused one waits (not on the clock).
      admission = service.run.admitNow() ?? (await service.run.admit(options.signal));
      if (admission.probe) debug?.('paused after failures in a row: this lookup probes it');
      if (limiter) {
        const ready = transportReady();
        if (ready) await ready;
        if (!limiter.tryAcquire(options.signal)) await limiter.acquire(options.signal);
        acquired = true;
        const waited = monotonicMs() - started;
        if (waited >= 1000) debug?.(`waited ${(waited / 1000).toFixed(1)} s for a rate-limit slot`);
        // Written off while this lookup waited for its slot (a key rejected meanwhile).
        if (service.run.writtenOff) throw service.run.writtenOff;
      }
      started = monotonicMs();
      // The HTTP layer never retries: 429s and 503s come back here, so that a retry waits for (and
      // counts against) the service's throttle.
      const finding = await lookupWithDeadline(service, hash, options.signal, limiter, debug);
      if (acquired) limiter?.finished('answered');
      service.run.settle(admission, 'answered');
      return redactResult(toServiceResult(definition, hash, finding, options.policy, elapsed()), secrets);
    } catch (error) {
      const retry = limiter !== undefined && shouldRetryAfterThrottle(error, limiter, attempt, debug);
      if (admission) settleFailure(service, admission, error, options.signal?.aborted === true);
      // After the pause, the "quota spent" mark or the write-off, so that waiting lookups see it.
      if (acquired) limiter?.finished(error instanceof RateLimitError ? 'rate-limited' : 'answered');
      if (retry) continue;
      // A rejected key reads the same on every row: what to fix, not the vendor's body.
      const shown = error instanceof AuthError ? (service.run.writtenOff ?? error) : error;
      return redactResult(errorResult(definition.id, shown, elapsed(), definition.link(hash)), secrets);
    }
  }
}

/** Rejected keys write the service off; a run of outages pauses it (src/core/service-run.ts). */
function settleFailure(
  service: PreparedService,
  admission: Admission,
  error: unknown,
  cancelled: boolean,
): void {
  const { run, definition } = service;
  if (error instanceof AuthError) {
    run.settle(admission, 'other');
    run.writeOff(
      rejectedKeyError(
        definition.displayName,
        `${envStem(definition.id)}_KEY`,
        Boolean(service.apiKey),
        error,
      ),
    );
    return;
  }
  const outage =
    error instanceof UnavailableError || error instanceof NetworkError || error instanceof TimeoutError;
  // Ctrl-C is not the vendor's failure.
  if (outage && !cancelled) run.settle(admission, 'failed', error);
  else run.settle(admission, 'other');
}

/**
 * A 429 or 503 with a Retry-After of at most MAX_BACKOFF_SECONDS pauses the whole service for that
 * long, then the lookup is retried (MAX_RETRIES at most). A 429 without one, or with a longer one,
 * means the quota is spent: no more requests to that service this run. A 503 without one is an
 * error row for this lookup only: the next lookup asks again.
 */
function shouldRetryAfterThrottle(
  error: unknown,
  limiter: RateLimiter,
  attempt: number,
  debug?: (line: string) => void,
): boolean {
  const rateLimited = error instanceof RateLimitError && !(error instanceof QuotaExhaustedError);
  if (!rateLimited && !(error instanceof UnavailableError)) return false;
  const wait = error.retryAfterSeconds;
  if (wait !== undefined && wait <= MAX_BACKOFF_SECONDS && attempt < MAX_RETRIES) {
    debug?.(`${error.code}: pausing the service ${wait} s as its Retry-After asks, then retrying`);
    limiter.pause(wait);
    return true;
  }
  if (rateLimited) {
    limiter.exhaust(
      `quota exhausted (${error.message}); no more requests to this service for the rest of the run`,
    );
  }
  return false;
}

/** One deadline per service lookup, all its requests included, whatever the adapter does. */
function lookupWithDeadline(
  service: PreparedService,
  hash: HashRef,
  runSignal: AbortSignal | undefined,
  limiter: RateLimiter | undefined,
  log?: (line: string) => void,
) {
  return withServiceContext(service, (ctx) => service.definition.lookup(hash, ctx), runSignal, limiter, log);
}

/**
 * Runs `call` with the service's lookup context (its HTTP client, key, secrets and state) under one
 * deadline: a lookup, or `ti-check doctor`'s quota request.
 */
export function withServiceContext<T>(
  service: PreparedService,
  call: (ctx: LookupContext) => Promise<T>,
  runSignal: AbortSignal | undefined,
  limiter?: RateLimiter,
  log?: (line: string) => void,
): Promise<T> {
  // One promise, settled by the call or by the deadline, whichever comes first, whatever the
  // adapter does meanwhile (a Promise.race of two would cost a batch three more promises a lookup).
  return new Promise<T>((resolve, reject) => {
    // An aborted deadline has let go of its timer and parent already (and a run aborted before
    // this lookup aborts it here, inside startDeadline).
    const deadline = startDeadline(service.timeoutMs, runSignal, (reason, expired) =>
      reject(expired ? new TimeoutError(timeoutMessage(service.timeoutMs)) : reason),
    );
    const fail = (error: unknown) => {
      deadline.clear();
      reject(error);
    };
    try {
      const http = createServiceHttp({
        baseUrl: service.baseUrl,
        secrets: service.run.secrets,
        timeoutMs: service.timeoutMs,
        maxAnswerBytes:
          service.definition.maxAnswerMiB === undefined
            ? undefined
            : service.definition.maxAnswerMiB * 1024 * 1024,
        beforeRequest: limiter && followUpSlots(limiter, deadline, log),
        deadline,
        log,
      });
      // Promise.resolve: a plugin's lookup that returns its finding without a promise still counts.
      Promise.resolve(call(new ServiceLookupContext(http, service, deadline, log))).then((value) => {
        deadline.clear();
        resolve(value);
      }, fail);
    } catch (error) {
      fail(error);
    }
  });
}

/**
 * The lookup's first request uses the slot checkService took; each further one (a sandbox's report
 * pages, Triage's summary) waits for its own, and that wait is not the vendor's time. Nothing to
 * wait for (the first request) is undefined, not a promise: no turn of the microtask queue for it.
 */
function followUpSlots(
  limiter: RateLimiter,
  deadline: Deadline,
  log: ((line: string) => void) | undefined,
): () => Promise<void> | undefined {
  let requests = 0;
  const waitForSlot = async () => {
    const resume = deadline.hold();
    const started = monotonicMs();
    try {
      await limiter.acquireFollowUp(deadline.signal);
    } finally {
      resume();
    }
    const waited = monotonicMs() - started;
    if (waited >= 1000) log?.(`waited ${(waited / 1000).toFixed(1)} s for a rate-limit slot (same lookup)`);
  };
  return () => (requests++ === 0 ? undefined : waitForSlot());
}

/**
 * What an adapter gets for one lookup. A class, not an object literal: a literal with a getter is
 * a dictionary-mode object on Node 20 (slow to make and to read), and a batch makes one a lookup.
 */
class ServiceLookupContext implements LookupContext {
  readonly apiKey: string | undefined;
  readonly baseUrl: string;
  readonly state: Map<string, unknown>;
  readonly #service: PreparedService;
  readonly #deadline: Deadline;
  readonly #log: ((line: string) => void) | undefined;
  #dns: DnsClient | undefined;

  constructor(
    readonly http: HttpClient,
    service: PreparedService,
    deadline: Deadline,
    log: ((line: string) => void) | undefined,
  ) {
    this.apiKey = service.apiKey;
    this.baseUrl = service.baseUrl;
    this.state = service.run.state;
    this.#service = service;
    this.#deadline = deadline;
    this.#log = log;
  }

  /** Made on first use: only DNS-answered services have a `dns:` base URL to parse. */
  get dns(): DnsClient {
    this.#dns ??= createServiceDns({
      server: this.#service.baseUrl,
      timeoutMs: this.#service.timeoutMs,
      signal: this.#deadline.signal,
      log: this.#log,
    });
    return this.#dns;
  }

  /** Made on first use: most adapters never read it (their requests share the deadline itself). */
  get signal(): AbortSignal {
    return this.#deadline.signal;
  }

  /** A function of its own, not a method: a plugin may take it off the context (`const { secret } = ctx`). */
  get secret(): (value: string) => void {
    const secrets = this.#service.run.secrets;
    return (value) => {
      secrets.add(value);
    };
  }
}

function emptyResult(id: string): Omit<ServiceResult, 'status'> {
  return {
    service: id,
    verdict: null,
    stats: null,
    entries: [],
    link: null,
    error: null,
    summary: null,
    hint: null,
    durationMs: null,
  };
}

/** A service that was not asked: the row says why (`hint`). */
export function grayResult(id: string, status: 'disabled' | 'unsupported', hint: string): ServiceResult {
  return withFields(emptyResult(id), { status, hint });
}

function errorResult(id: string, error: unknown, durationMs: number, link: string): ServiceResult {
  // Adapter bugs (a TypeError, say) still become a red row, never a crash of the whole run.
  const code = error instanceof ServiceError ? error.code : 'internal';
  const message = error instanceof Error ? error.message : String(error);
  return withFields(emptyResult(id), {
    status: 'error' as const,
    link,
    error: { code, message },
    durationMs,
  });
}

/** Every string of a result, redacted: what a vendor sends back is data, and may quote the key. */
function redactResult(result: ServiceResult, secrets: SecretSet): ServiceResult {
  if (secrets.size === 0) return result;
  const clean = (text: string | null) => (text === null ? null : secrets.redact(text));
  return withFields(result, {
    entries: result.entries.map((entry) =>
      withFields(entry, { name: secrets.redact(entry.name), detail: clean(entry.detail) }),
    ),
    link: clean(result.link),
    summary: clean(result.summary),
    hint: clean(result.hint),
    error: result.error && withFields(result.error, { message: secrets.redact(result.error.message) }),
  });
}
