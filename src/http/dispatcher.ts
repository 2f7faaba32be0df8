import type { EnvHttpProxyAgent } from 'undici';

/**
 * One pooled dispatcher for the whole run. EnvHttpProxyAgent honours HTTPS_PROXY / HTTP_PROXY /
 * NO_PROXY (either case), so corporate proxies work without a flag.
 *
 * undici is imported on the first request, not at start-up: it is the largest module ti-check
 * loads (~120 ms), and a run answered from the cache, `--help` or `services` never needs it.
 */
let shared: EnvHttpProxyAgent | undefined;
let loading: Promise<EnvHttpProxyAgent> | undefined;

/** The dispatcher, or (the first time only) a promise of it. */
export function sharedDispatcher(): EnvHttpProxyAgent | Promise<EnvHttpProxyAgent> {
  if (shared) return shared;
  loading ??= import('undici').then(({ EnvHttpProxyAgent }) => {
    shared = new EnvHttpProxyAgent({ connections: 16, keepAliveTimeout: 10_000 });
    loading = undefined;
    return shared;
  });
  return loading;
}

/**
 * Drop every pooled socket once the report is out, so that the process ends at once. `destroy`,
 * not `close`: a graceful close waits for requests still on the wire, and a proxy that never
 * answers would hold the process for minutes after the report.
 */
export async function closeSharedDispatcher(): Promise<void> {
  const agent = shared ?? (await loading);
  shared = undefined;
  loading = undefined;
  await agent?.destroy();
}
