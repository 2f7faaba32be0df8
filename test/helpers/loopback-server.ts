/** A test's own server on 127.0.0.1, never a public address, on a port the system picks. */
import { once } from 'node:events';
import type { Server } from 'node:net';

/** Listens, and gives back the origin to ask it at: `http://127.0.0.1:<port>` (or `https://…`). */
export async function listenOnLoopback(server: Server, scheme: 'http' | 'https' = 'http'): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on a TCP port');
  return `${scheme}://127.0.0.1:${address.port}`;
}
