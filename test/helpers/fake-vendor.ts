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
  /** Answer only the first `times` matching requests; later ones fall through to the next route. */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** When it arrived (performance.now() of the test process), ms. */
  at: number;
}

export interface FakeVendorOptions {
  /** Enforce a vendor-style limit: more than `requests` arrivals in any `perMs` window get a 429. */
  rateLimit?: { requests: number; perMs: number };
  /** Keep only a count, not every request (large batches). */
  countOnly?: boolean;
}

export interface FakeVendor {
  url: string;
  requests: RecordedRequest[];
  /** Requests received, whether recorded or not. */
  count(): number;
  /** Requests answered 429 because they broke `rateLimit`. */
  rejected(): number;
  close(): Promise<void>;
}

export async function startFakeVendor(routes: Route[], options: FakeVendorOptions = {}): Promise<FakeVendor> {
  const requests: RecordedRequest[] = [];
  const arrivals: number[] = [];
  let count = 0;
  let rejected = 0;
  const overLimit = (): boolean => {
    const limit = options.rateLimit;
    if (!limit) return false;
    const now = performance.now();
    while (arrivals.length > 0 && (arrivals[0] as number) <= now - limit.perMs) arrivals.shift();
    arrivals.push(now);
    return arrivals.length > limit.requests;
  };
  const used = new Map<Route, number>();
  const server = createServer((req, res) => {
    count++;
    const at = performance.now();
    if (overLimit()) {
      rejected++;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"error":"rate"}');
      req.resume();
      return;
    }
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
        at,
      };
      if (!options.countOnly) requests.push(recorded);
      const route = routes.find(
        (r) =>
          (r.method ?? recorded.method) === recorded.method &&
          (typeof r.path === 'string' ? r.path === recorded.path : r.path.test(recorded.path)) &&
          (r.times === undefined || (used.get(r) ?? 0) < r.times),
      );
      if (route) used.set(route, (used.get(route) ?? 0) + 1);
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
    count: () => count,
    rejected: () => rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
