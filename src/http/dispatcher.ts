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

/** Close pooled sockets so the process can exit without waiting for keep-alive timers. */
export async function closeSharedDispatcher(): Promise<void> {
  const agent = shared;
  shared = undefined;
  await agent?.close();
}
