/**
 * Redirects, the answer-size cap and redaction, over real sockets on 127.0.0.1 and through both
 * transports: the unit tests' fetch one and the binary's undici one. A second listener plays the
 * "other host" a hostile vendor redirects to; it must never see a credential.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BadResponseError, UnavailableError } from '../../src/errors.js';
import { createServiceHttp, DEFAULT_MAX_ANSWER_BYTES, nextHop } from '../../src/http/client.js';
import { nodeTransport } from '../../src/http/node-transport.js';
import { type Transport, undiciTransport, useTransport } from '../../src/http/transport.js';
import { fetchTransport } from '../helpers/fetch-transport.js';
import { listenOnLoopback } from '../helpers/loopback-server.js';

const KEY = "k3y with ~!'() and space 0123456789";

interface Seen {
  url: string;
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  return { server, seen, url: await listenOnLoopback(server) };
}

let vendor: Awaited<ReturnType<typeof listen>>;
let other: Awaited<ReturnType<typeof listen>>;
/** What the vendor does next: a function of the request path. */
let route: (path: string, res: ServerResponse) => void;

beforeAll(async () => {
  vendor = await listen((req, res) => route(req.url ?? '', res));
  other = await listen((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":1}'),
  );
});
afterAll(async () => {
  for (const s of [vendor.server, other.server] as Server[]) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  useTransport(fetchTransport);
});
afterEach(() => {
  vendor.seen.length = 0;
  other.seen.length = 0;
});

function client(secrets: string[], log?: (line: string) => void, maxAnswerBytes?: number) {
  return createServiceHttp({ baseUrl: vendor.url, secrets, timeoutMs: 5_000, log, maxAnswerBytes });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: Error) => error,
  );
}

/** Every place a credential could ride along: URL, headers, body. */
const _carried = (seen: Seen[]) => JSON.stringify(seen);

describe.each<[string, Transport]>([
  ['fetch', fetchTransport],
  ['undici', undiciTransport],
  ['node:http', nodeTransport],
])('redirects through the %s transport', (name, transport) => {
  // nock patches node:http too; these servers are on 127.0.0.1, reached through Node's real stack.
  beforeAll(() => {
    useTransport(transport);
    if (name === 'node:http') nock.restore();
  });
  afterAll(() => {
    if (name === 'node:http') nock.activate();
  });

  it('follows a same-origin redirect with the key, method and body (307)', async () => {
    route = (path, res) =>
      path.startsWith('/old')
        ? res.writeHead(307, { location: '/new' }).end()
        : res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    const lines: string[] = [];
    const res = await client([KEY], (line) => lines.push(line)).request({
      path: '/old',
      headers: { 'x-apikey': KEY },
      form: { apikey: KEY, hash: 'abc' },
    });
    expect(res.json()).toEqual({ ok: true });
    expect(vendor.seen.map((s) => [s.method, s.url, s.headers['x-apikey'], s.body])).toEqual([
      ['POST', '/old', KEY, new URLSearchParams({ apikey: KEY, hash: 'abc' }).toString()],
      ['POST', '/new', KEY, new URLSearchParams({ apikey: KEY, hash: 'abc' }).toString()],
    ]);
    // --debug names every hop, with the key masked in every encoding.
    expect(lines).toEqual([
      expect.stringMatching(
        /^POST http:\/\/127\.0\.0\.1:\d+\/old → 307, redirected to http:\/\/127\.0\.0\.1:\d+\/new \(\d+ ms\)$/,
      ),
      expect.stringMatching(/^POST http:\/\/127\.0\.0\.1:\d+\/new → 200, 11 bytes \(\d+ ms\)$/),
    ]);
  });

  it('refuses a cross-origin redirect of a keyed service: the other host gets nothing', async () => {
    route = (_path, res) => res.writeHead(307, { location: `${other.url}/steal?x=1` }).end();
    const error = await failure(
      client([KEY]).request({
        path: '/x',
        headers: { 'x-apikey': KEY },
        query: { apikey: KEY },
        json: { key: KEY },
      }),
    );
    expect(error).toBeInstanceOf(BadResponseError);
    expect(error.message).toBe(
      `redirect not followed: HTTP 307 to another host (${new URL(other.url).host}), which would receive the API key`,
    );
    expect(other.seen).toEqual([]);
  });

  it('follows a keyless GET to another host with only its own headers', async () => {
    route = (_path, res) => res.writeHead(302, { location: `${other.url}/mirror` }).end();
    const res = await client([]).request({ path: '/x', headers: { 'x-custom': 'vendor-specific' } });
    expect(res.json()).toEqual({ ok: 1 });
    expect(other.seen.map((s) => [s.method, s.url, s.headers['x-custom'], s.headers['user-agent']])).toEqual([
      ['GET', '/mirror', undefined, expect.stringMatching(/^ti-check\//)],
    ]);
  });

  it('refuses to re-post a body to another host even without a key', async () => {
    route = (_path, res) => res.writeHead(308, { location: `${other.url}/post` }).end();
    const error = await failure(client([]).request({ path: '/x', form: { hash: 'abc' } }));
    expect(error.message).toBe(
      `redirect not followed: HTTP 308 re-posting the request to another host (${new URL(other.url).host})`,
    );
    expect(other.seen).toEqual([]);
  });

  it('turns a POST into a GET without body on 303, as browsers do', async () => {
    route = (path, res) =>
      path === '/form'
        ? res.writeHead(303, { location: '/result' }).end()
        : res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    await client([KEY]).request({ path: '/form', form: { apikey: KEY } });
    expect(vendor.seen.map((s) => [s.method, s.url, s.body, s.headers['content-type']])).toEqual([
      [
        'POST',
        '/form',
        `apikey=${new URLSearchParams({ a: KEY }).toString().slice(2)}`,
        'application/x-www-form-urlencoded',
      ],
      ['GET', '/result', '', undefined],
    ]);
  });

  it('stops a redirect loop after 5 hops', async () => {
    route = (path, res) => res.writeHead(302, { location: path }).end();
    const error = await failure(client([KEY]).request({ path: '/loop' }));
    expect(error.message).toBe('redirect not followed: more than 5 redirects');
    expect(vendor.seen).toHaveLength(6);
  });

  it('refuses a redirect to another scheme', async () => {
    route = (_path, res) => res.writeHead(301, { location: 'file:///etc/passwd' }).end();
    const error = await failure(client([]).request({ path: '/x' }));
    expect(error.message).toBe('redirect not followed: HTTP 301 to a file: address');
  });

  it('stops reading an endless answer at the cap', async () => {
    let sent = 0;
    route = (_path, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (!res.destroyed && sent < 64 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
      };
      res.on('drain', pump);
      pump();
    };
    const error = await failure(client([KEY], undefined, 1024 * 1024).request({ path: '/endless' }));
    expect(error).toBeInstanceOf(BadResponseError);
    expect(error.message).toBe('answer larger than 1 MiB');
    // The reader hung up near the cap: far less than the 64 MiB the server would send.
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('masks a key cut by the snippet limit and every encoding of it', async () => {
    const body = `${'x'.repeat(180)} ${KEY} ${encodeURIComponent(KEY)} ${JSON.stringify(KEY)}`;
    route = (_path, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end(body);
    const error = await failure(client([KEY]).request({ path: '/x' }));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe(`HTTP 500 Internal Server Error: ${'x'.repeat(180)} *** *** "***"`);
  });
});

describe('nextHop', () => {
  const base = {
    status: 302,
    from: new URL('https://api.vendor.test/v1/x'),
    origin: 'https://api.vendor.test',
    hops: 0,
    post: false,
    hasBody: false,
    hasSecrets: false,
  };

  it('never goes from https to plain http, keyless or not, same host or not', () => {
    expect(nextHop({ ...base, location: 'http://api.vendor.test/v1/y' })).toEqual({
      refused: 'HTTP 302 from https to plain http (api.vendor.test)',
    });
    expect(nextHop({ ...base, location: 'http://elsewhere.test/' })).toEqual({
      refused: 'HTTP 302 from https to plain http (elsewhere.test)',
    });
  });

  it('treats another port or scheme as another origin', () => {
    expect(nextHop({ ...base, hasSecrets: true, location: 'https://api.vendor.test:8443/v1/y' })).toEqual({
      refused: 'HTTP 302 to another host (api.vendor.test:8443), which would receive the API key',
    });
  });

  it('keeps everything on the same origin and makes a POST a GET on 301/302/303 only', () => {
    const same = { ...base, hasSecrets: true, post: true, hasBody: true, location: '/v2/x' };
    expect(nextHop({ ...same, status: 307 })).toEqual({
      to: new URL('https://api.vendor.test/v2/x'),
      becomesGet: false,
      ownHeadersOnly: false,
    });
    expect(nextHop({ ...same, status: 302 })).toMatchObject({ becomesGet: true, ownHeadersOnly: false });
  });
});

it('has a default cap comfortably above the largest recorded answer', () => {
  expect(DEFAULT_MAX_ANSWER_BYTES).toBe(16 * 1024 * 1024);
});
