/**
 * What one service carries through a run: its secrets (the key, and tokens it derives), the state
 * its adapter keeps between lookups, and its health — written off after a rejected key, paused and
 * probed after a run of failures — so that a broken service costs a few requests, not one per hash.
 */
import { AuthError, type ServiceError, UnavailableError } from '../errors.js';
import { SecretSet } from '../http/redact.js';
import { loadSoon } from '../load-soon.js';

/** Consecutive unavailable / network / timeout failures that pause a service. */
export const FAILURE_STREAK = 5;
/** The first pause; each failed probe doubles it. */
export const FIRST_PAUSE_MS = 30_000;
/** Failed probes after which the service is written off for the rest of the run. */
export const MAX_FAILED_PROBES = 3;

export type Outcome = 'answered' | 'failed' | 'other';

/** A ticket to ask the service: `probe` is true for the lone request that tests a paused service. */
export interface Admission {
  probe: boolean;
}

export class ServiceRun {
  readonly secrets: SecretSet;
  /** Adapter state for this run only (Intezer's access token): never a module global. */
  readonly state = new Map<string, unknown>();
  /** Why the service is asked no more this run: every later lookup is this error, without a request. */
  writtenOff: ServiceError | undefined;
  #streak = 0;
  #pauseMs = FIRST_PAUSE_MS;
  #failedProbes = 0;
  /** Set while the service is paused or its probe is out: lookups wait for it. */
  #blocked: Promise<void> | undefined;
  #probeDue = false;
  #endProbe: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #waiting = 0;

  constructor(apiKey: string | undefined) {
    this.secrets = new SecretSet([apiKey]);
    // The key's mask is built once the requests are out, not when the first answer is to be redacted.
    void loadSoon(async () => this.secrets.prepare());
  }

  /**
   * The admission `admit` would give at once, when it would (not written off, not paused, no probe
   * due); undefined otherwise (call `admit`). Spares a batch a promise per lookup.
   */
  admitNow(): Admission | undefined {
    return this.writtenOff || this.#blocked || this.#probeDue ? undefined : { probe: false };
  }

  /** Waits while the service is paused; throws once it is written off. */
  async admit(signal?: AbortSignal): Promise<Admission> {
    for (;;) {
      if (this.writtenOff) throw this.writtenOff;
      if (this.#blocked) {
        // The pause's timer keeps the process alive only while a lookup waits for it.
        if (this.#waiting++ === 0) this.#timer?.ref();
        try {
          await abortable(this.#blocked, signal);
        } finally {
          if (--this.#waiting === 0) this.#timer?.unref();
        }
        continue;
      }
      if (this.#probeDue) {
        this.#probeDue = false;
        this.#blocked = new Promise<void>((resolve) => (this.#endProbe = resolve));
        return { probe: true };
      }
      return { probe: false };
    }
  }

  /** How the request of an admission went. */
  settle(admission: Admission, outcome: Outcome, error?: ServiceError): void {
    if (outcome === 'other') {
      if (admission.probe) this.#closeProbe();
      return;
    }
    if (outcome === 'answered') {
      this.#streak = 0;
      if (admission.probe) {
        this.#pauseMs = FIRST_PAUSE_MS;
        this.#failedProbes = 0;
        this.#closeProbe();
      }
      return;
    }
    this.#streak++;
    if (admission.probe) {
      this.#failedProbes++;
      this.#endProbe?.();
      this.#blocked = undefined;
      if (this.#failedProbes >= MAX_FAILED_PROBES) {
        this.writtenOff = new UnavailableError(
          `still failing after ${FAILURE_STREAK} failures in a row and ${MAX_FAILED_PROBES} probes: not asked again this run${
            error ? ` (last: ${error.message})` : ''
          }`,
          undefined,
          { cause: error },
        );
        return;
      }
      this.#pauseMs *= 2;
      this.#pause();
      return;
    }
    if (this.#streak >= FAILURE_STREAK && !this.#blocked && !this.#probeDue) this.#pause();
  }

  /** A rejected key: asking again with it can only fail the same way. */
  writeOff(error: ServiceError): void {
    this.writtenOff ??= error;
  }

  #pause(): void {
    this.#blocked = new Promise<void>((resolve) => {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#blocked = undefined;
        this.#probeDue = true;
        resolve();
      }, this.#pauseMs);
      // A pause still pending when the run is over must not hold the process.
      if (this.#waiting === 0) this.#timer.unref();
    });
  }

  #closeProbe(): void {
    this.#endProbe?.();
    this.#endProbe = undefined;
    this.#blocked = undefined;
  }

  /** For the end-of-run line: how long the service is paused now, 0 when it is not. */
  get pausedForMs(): number {
    return this.#blocked ? this.#pauseMs : 0;
  }
}

/** The one-line, actionable form of a rejected key. */
export function rejectedKeyError(
  displayName: string,
  envVar: string,
  hasKey: boolean,
  cause: AuthError,
): AuthError {
  const status = /^HTTP (\d{3})/.exec(cause.message)?.[1];
  const how = status ? ` (HTTP ${status})` : '';
  const message = hasKey
    ? `${displayName} rejected the API key${how}: check ${envVar}`
    : `${displayName} refused the request${how}: it may need a key (${envVar})`;
  return new AuthError(message, { cause });
}

function abortable(promise: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
