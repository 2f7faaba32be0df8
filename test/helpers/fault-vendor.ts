/**
 * A hostile vendor for the fault-injection suite: one local server on 127.0.0.1 that answers every
 * service at `/<fault>/<service id>/…` with the fault the first path segment names, and a second
 * listener, the "other host", that only records what reaches it (a redirect's target).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Hit {
  fault: string;
  service: string;
  method: string;
  url: string;
  headers: string;
  body: string;
}

export type Fault =
  | 'redirect-same'
  | 'redirect-cross'
  | 'redirect-loop'
  | 'rate-limited'
  | 'rate-limited-retry-after'
  | 'server-error'
  | 'reset'
  | 'no-answer'
  | 'stalled-body'
  | 'truncated-json'
  | 'html-200'
  | 'endless-body'
  | 'schema-drift'
  | 'key-echoed-in-error'
  | 'hostile-200'
  /** Not a fault: the service's real recorded answer, for the services that must keep answering. */
  | 'healthy';

export interface FaultVendorOptions {
  /** The key each service was given, to echo back where a fault says so. */
  keys: Record<string, string>;
  /** A real "found" answer of each service for a request path (hostile-200 poisons it). */
  foundAnswer(service: string, path: string): string | undefined;
  /** Appended to every string of a hostile-200 answer. */
  poison(service: string): string;
}

export interface FaultVendor {
  url: string;
  /** The same answers on another port: healthy services get their own origin, as real vendors have. */
  healthyUrl: string;
  otherUrl: string;
  /** Requests that reached the vendor, and those that reached the other host. */
  hits: Hit[];
  otherHits: Hit[];
  /** Bytes of endless bodies written per service before the client hung up. */
  endlessBytes: Map<string, number>;
  close(): Promise<void>;
}

const HTML =
  '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>';
const CHUNK = Buffer.alloc(64 * 1024, '{"a":1}'.repeat(1));

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function record(req: IncomingMessage): Promise<Hit> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      const [, fault = '', service = ''] = url.split('?')[0]?.split('/') ?? [];
      resolve({
        fault,
        service,
        method: req.method ?? 'GET',
        url,
        headers: JSON.stringify(req.headers),
        body: Buffer.concat(chunks).toString('utf8'),
      });
    });
  });
}

/** Fields whose value is a vendor enum that decides the verdict: poisoning them is schema drift. */
const VERDICT_FIELDS = new Set([
  'category',
  'verdict',
  'query_status',
  'status',
  'detection',
  'threat_level',
]);

/** Every string (and engine-name key) of a JSON answer with `tail` appended; the shape stays. */
function poisonJson(value: unknown, tail: string): unknown {
  if (typeof value === 'string') return value.length > 0 ? value + tail : value;
  if (Array.isArray(value)) return value.map((item) => poisonJson(item, tail));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        // Engine names are object keys at VirusTotal and MetaDefender; keep short field names intact.
        /^[A-Z]/.test(key) ? key + tail : key,
        VERDICT_FIELDS.has(key) ? item : poisonJson(item, tail),
      ]),
    );
  }
  return value;
}

export async function startFaultVendor(options: FaultVendorOptions): Promise<FaultVendor> {
  const hits: Hit[] = [];
  const otherHits: Hit[] = [];
  const endlessBytes = new Map<string, number>();
  const sockets = new Set<Socket>();
  let self = '';
  let other = '';

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const hit = await record(req);
    hits.push(hit);
    const rest = hit.url.slice(`/${hit.fault}`.length);
    const key = options.keys[hit.service] ?? '';
    const json = (status: number, body: string, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
    switch (hit.fault as Fault) {
      case 'redirect-same':
        // Followed with the key: the second request then meets a 500.
        return res.writeHead(307, { location: `${self}/server-error${rest}` }).end();
      case 'redirect-cross':
        return res.writeHead(307, { location: `${other}/stolen${rest}` }).end();
      case 'redirect-loop':
        return res.writeHead(302, { location: `${self}${hit.url}` }).end();
      case 'rate-limited':
        return json(429, '{"error":"Too many requests"}');
      case 'rate-limited-retry-after':
        return json(429, '{"error":"Too many requests"}', { 'retry-after': '1' });
      case 'server-error':
        return json(500, '{"error":"internal"}');
      case 'reset':
        return req.socket.destroy();
      case 'no-answer':
        return; // the socket stays open; the client's timeout must end it
      case 'stalled-body':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        return res.write('{"data": {"attributes": {');
      case 'truncated-json':
        return json(200, '{"data": {"attributes": {"last_analysis_results": {"Avast": {"categ');
      case 'html-200':
        return res.writeHead(200, { 'content-type': 'text/html' }).end(HTML);
      case 'endless-body': {
        res.writeHead(200, { 'content-type': 'application/json' });
        let sent = 0;
        const pump = () => {
          while (!res.destroyed && res.write(CHUNK)) sent += CHUNK.length;
          endlessBytes.set(hit.service, sent);
        };
        res.on('drain', pump);
        res.on('close', () => endlessBytes.set(hit.service, sent));
        return pump();
      }
      case 'schema-drift':
        return json(200, '{"data":{"id":"x","renamed_in_v4":{"results":[]}},"status":"ok"}');
      case 'key-echoed-in-error':
        return json(
          500,
          JSON.stringify({ error: { message: `invalid request for key ${key}`, detail: key.repeat(3) } }),
        );
      case 'hostile-200':
      case 'healthy': {
        const found = options.foundAnswer(hit.service, rest.split('?')[0] ?? rest);
        if (found === undefined) return json(404, '{"error":"no fixture"}');
        if (hit.fault === 'healthy') return json(200, found);
        return json(200, JSON.stringify(poisonJson(JSON.parse(found), options.poison(hit.service))));
      }
      default:
        return json(404, '{"error":"unknown fault"}');
    }
  };

  const server = createServer((req, res) => void answer(req, res));
  const healthyServer = createServer((req, res) => void answer(req, res));
  const otherServer = createServer(async (req, res) => {
    otherHits.push(await record(req));
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  for (const s of [server, healthyServer, otherServer]) {
    s.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }
  self = await listen(server);
  const healthy = await listen(healthyServer);
  other = await listen(otherServer);
  return {
    url: self,
    healthyUrl: healthy,
    otherUrl: other,
    hits,
    otherHits,
    endlessBytes,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(
        [server, healthyServer, otherServer].map(
          (s) => new Promise<void>((resolve) => s.close(() => resolve())),
        ),
      );
    },
  };
}
