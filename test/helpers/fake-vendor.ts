/**
 * A local fake vendor for end-to-end tests: a real HTTP server on 127.0.0.1 that answers
 * recorded fixtures by route and remembers every request it got.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  method?: string;
  /** Matched against the request path (without query string). */
  path: string | RegExp;
  status?: number;
  body: string | ((request: RecordedRequest) => string);
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeVendor {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeVendor(routes: Route[]): Promise<FakeVendor> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url,
        path: url.split('?')[0] ?? url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const route = routes.find(
        (r) =>
          (r.method ?? recorded.method) === recorded.method &&
          (typeof r.path === 'string' ? r.path === recorded.path : r.path.test(recorded.path)),
      );
      const respond = () => {
        if (!route) {
          res
            .writeHead(404, { 'content-type': 'application/json' })
            .end('{"error":"no such route in fake vendor"}');
          return;
        }
        const body = typeof route.body === 'function' ? route.body(recorded) : route.body;
        res
          .writeHead(route.status ?? 200, { 'content-type': 'application/json', ...route.headers })
          .end(body);
      };
      if (route?.delayMs) setTimeout(respond, route.delayMs);
      else respond();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
