import { EnvHttpProxyAgent } from 'undici';

/**
 * One pooled dispatcher for the whole run. EnvHttpProxyAgent honours HTTPS_PROXY / HTTP_PROXY /
 * NO_PROXY (either case), so corporate proxies work without a flag.
 */
let shared: EnvHttpProxyAgent | undefined;

export function sharedDispatcher(): EnvHttpProxyAgent {
  shared ??= new EnvHttpProxyAgent({ connections: 16, keepAliveTimeout: 10_000 });
  return shared;
}

/**
 * Drop every pooled socket once the report is out, so that the process ends at once. `destroy`,
 * not `close`: a graceful close waits for requests still on the wire, and a proxy that never
 * answers would hold the process for minutes after the report.
 */
export async function closeSharedDispatcher(): Promise<void> {
  const agent = shared;
  shared = undefined;
  await agent?.destroy();
}
