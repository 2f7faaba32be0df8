import type { Dispatcher } from 'undici';
import { tuneProcess } from '../process-tuning.js';

/**
 * The run's one pooled undici dispatcher: for a run behind a proxy, EnvHttpProxyAgent, which
 * honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), so corporate proxies work without a
 * flag; for a batch without one that switched to undici for its speed (transport.ts), a plain Agent.
 *
 * undici is imported on the first request, not at start-up: it is the largest module ti-check
 * loads (~120 ms). Runs without a proxy never load it (src/http/node-transport.ts), nor do runs
 * answered from the cache, `--help` or `services`.
 */

/** HTTPS_PROXY / HTTP_PROXY in either case, as undici's EnvHttpProxyAgent reads them. */
export function proxyConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

let shared: Dispatcher | undefined;
let loading: Promise<Dispatcher> | undefined;

/** The dispatcher, or (the first time only) a promise of it. */
export function sharedDispatcher(): Dispatcher | Promise<Dispatcher> {
  if (shared) return shared;
  // undici's HTTP parser is WebAssembly, which V8 is told how to compile first (src/cli/v8-flags.ts).
  if (!loading) tuneProcess();
  loading ??= import('undici').then(({ Agent, EnvHttpProxyAgent }) => {
    const options = { connections: 16, keepAliveTimeout: 10_000 };
    // No proxy: the plain agent, as EnvHttpProxyAgent would use, without its reading NO_PROXY from
    // process.env at every request (a batch that loaded undici for its speed sends thousands).
    shared = proxyConfigured(process.env) ? new EnvHttpProxyAgent(options) : new Agent(options);
    loading = undefined;
    return shared;
  });
  return loading;
}

/**
 * Drop undici's pooled sockets once the report is out (closeTransports in transport.ts), so that
 * the process ends at once. `destroy`, not `close`: a graceful close waits for requests still on
 * the wire, and a proxy that never answers would hold the process for minutes after the report.
 */
export async function closeSharedDispatcher(): Promise<void> {
  const agent = shared ?? (await loading);
  shared = undefined;
  loading = undefined;
  await agent?.destroy();
}
