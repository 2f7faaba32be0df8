/**
 * The unit tests' transport: Node's global `fetch`, which nock intercepts (undici's own `request`
 * is out of its reach). Redirects come back as they are, so the client's own redirect rules run.
 * The built binary in the e2e suite uses the real undici transport against local servers.
 */
import type { Transport } from '../../src/http/transport.js';

export const fetchTransport: Transport = async (req) => {
  const response = await fetch(req.url, {
    method: req.method,
    headers: req.headers,
    body: req.body,
    signal: req.signal,
    redirect: 'manual',
  });
  const body = response.body;
  return {
    status: response.status,
    header: (name) => response.headers.get(name) ?? undefined,
    body: body ?? (async function* () {})(),
    discard: () => {
      body?.cancel().catch(() => undefined);
    },
  };
};
