/**
 * The only module that speaks DNS, the counterpart of src/http/client.ts for services answered over
 * DNS (Team Cymru's Malware Hash Registry). It owns the resolver, the timeout and the mapping of
 * resolver error codes to the error hierarchy.
 */
import { monotonicMs } from '../clock.js';
import { ConfigError, NetworkError, type ServiceError, TimeoutError, UnavailableError } from '../errors.js';
import type { DnsClient } from './types.js';

export interface ServiceDnsOptions {
  /**
   * The service's configured base URL: `dns:` or `dns://` (no host) asks the system resolver,
   * `dns://127.0.0.1:5353` or `dns://[::1]:53` asks that server.
   */
  server: string;
  timeoutMs: number;
  /** The run's signal: Ctrl-C cancels every query. */
  signal?: AbortSignal;
  /** `--debug`: one line per query (name, server, outcome, time). */
  log?: (line: string) => void;
}

/** Codes c-ares uses for "this name (or this record type) does not exist": an answer, not an error. */
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'ENODATA']);
/** The server answered, but with a failure of its own. */
const SERVER_FAILURE = new Set(['ESERVFAIL', 'EREFUSED', 'ENOTIMP', 'EFORMERR', 'EBADRESP']);

export function createServiceDns(options: ServiceDnsOptions): DnsClient {
  const servers = parseServer(options.server);
  return {
    async txt(name) {
      // One resolver per query: cancel() aborts everything a resolver has in flight.
      // `tries: 1` so the timeout below is the whole budget, not one attempt of several.
      // node:dns loaded by the first query, not at start-up (~20 ms for runs that ask no DNS service).
      const { Resolver } = process.getBuiltinModule('node:dns/promises');
      const resolver = new Resolver({ timeout: options.timeoutMs, tries: 1 });
      if (servers) resolver.setServers(servers);
      const started = monotonicMs();
      const log = (result: string) =>
        options.log?.(
          `TXT ${name} @${servers?.[0] ?? 'system resolver'} → ${result} (${Math.round(monotonicMs() - started)} ms)`,
        );
      const outcome = await race(resolver.resolveTxt(name), options, () => resolver.cancel());
      if (outcome.ok) {
        log(`${outcome.value.length} record(s)`);
        return outcome.value.map((chunks) => chunks.join(''));
      }
      const error = outcome.error;
      if (NO_SUCH_NAME.has(errorCode(error) ?? '')) {
        log('no such name');
        return null;
      }
      const failure = toServiceError(error, options.signal);
      log(failure.code);
      throw failure;
    },
  };
}

/** `dns:` / `dns://` → undefined (system resolver); `dns://host:port` → `['host:port']`. */
function parseServer(server: string): string[] | undefined {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new ConfigError(`not a DNS server URL: ${server} (expected dns: or dns://<ip>[:port])`);
  }
  if (url.protocol !== 'dns:') {
    throw new ConfigError(`not a DNS server URL: ${server} (expected dns: or dns://<ip>[:port])`);
  }
  if (!url.hostname) return undefined;
  const host = url.hostname;
  const isIp = /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
  if (!isIp) throw new ConfigError(`a DNS server must be an IP address, got ${host}`);
  return [url.port ? `${host}:${url.port}` : host];
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Settle a query, or fail it when the deadline passes or the run is cancelled. c-ares has its own
 * timeout, but a backstop keeps the deadline honest whatever the resolver does.
 */
function race<T>(query: Promise<T>, options: ServiceDnsOptions, cancel: () => void): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Outcome<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = () => {
      cancel();
      finish({ ok: false, error: new CancelledError() });
    };
    const timer = setTimeout(() => {
      cancel();
      finish({ ok: false, error: new DeadlineError() });
    }, options.timeoutMs);
    // Settle handlers first, so a query rejected by cancel() is never left unhandled.
    query.then(
      (value) => finish({ ok: true, value }),
      (error: unknown) => finish({ ok: false, error }),
    );
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

class DeadlineError extends Error {}
class CancelledError extends Error {}

function toServiceError(error: unknown, signal: AbortSignal | undefined): ServiceError {
  if (error instanceof DeadlineError) return new TimeoutError('no DNS answer before the timeout');
  if (error instanceof CancelledError) return new NetworkError('DNS query cancelled');
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ETIMEOUT') return new TimeoutError('no DNS answer before the timeout', { cause: error });
  if (code === 'ECANCELLED' && signal?.aborted)
    return new NetworkError('DNS query cancelled', { cause: error });
  if (code && SERVER_FAILURE.has(code)) {
    return new UnavailableError(`DNS server failure: ${detail}`, undefined, { cause: error });
  }
  return new NetworkError(`DNS query failed: ${detail}`, { cause: error });
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
}
