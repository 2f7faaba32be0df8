/**
 * The binary's two transports — Node's own HTTP stack (runs without a proxy) and undici's dispatch
 * on the shared, proxy-aware agent (runs with one) — the same tests for each, over real sockets on
 * 127.0.0.1: status, headers and body as sent, a large body read whole through the parser's pauses,
 * an abort before the answer, while it is read, and after; a reader that stops early; a redirect's
 * body read away; a refused connection.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeTransport } from '../../src/http/node-transport.js';
import {
  closeTransports,
  type Transport,
  type TransportRequest,
  undiciTransport,
} from '../../src/http/transport.js';
import { listenOnLoopback } from '../helpers/loopback-server.js';
import { tempDir } from '../helpers/temp-dir.js';

let server: Server;
let base: string;
let route: (path: string, res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => route(req.url ?? '', res));
  });
  base = await listenOnLoopback(server);
});
afterAll(async () => {
  await closeTransports();
  server.closeAllConnections();
  server.close();
});

let under: Transport;

function request(path: string, signal = new AbortController().signal, extra: Partial<TransportRequest> = {}) {
  return under({ url: new URL(path, base), method: 'GET', headers: {}, signal, ...extra });
}

/** What a GET of `url` fails with: the socket's (or TLS's) own message, as the client reports it. */
async function failureOf(transport: Transport, url: string): Promise<string> {
  const error = await transport({
    url: new URL(url),
    method: 'GET',
    headers: {},
    signal: new AbortController().signal,
  }).then(
    () => undefined,
    (e: Error) => e,
  );
  return String((error?.cause as Error | undefined)?.message ?? error?.message);
}

async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

describe.each([
  ['undici', undiciTransport],
  ['node:http', nodeTransport],
])('the %s transport', (name, transport) => {
  // nock also patches node:http, with a socket of its own whose pauses break a paused body: these
  // tests reach 127.0.0.1 only, through Node's real stack, as the built binary does.
  beforeAll(() => {
    under = transport;
    if (name === 'node:http') nock.restore();
  });
  afterAll(() => {
    if (name === 'node:http') nock.activate();
  });

  it('gives the status, headers by lower-case name (the first of several) and the body', async () => {
    route = (_path, res) => {
      res.setHeader('X-Thing', ['one', 'two']);
      res.writeHead(404, { 'Content-Type': 'application/json', 'Retry-After': '7' }).end('{"a":"é"}');
    };
    const res = await request('/lookup?x=1', undefined, { method: 'POST', body: 'q=1' });
    expect(res.status).toBe(404);
    expect(res.header('content-type')).toBe('application/json');
    expect(res.header('retry-after')).toBe('7');
    expect(res.header('x-thing')).toBe('one');
    expect(res.header('missing')).toBeUndefined();
    expect(await text(res.body)).toBe('{"a":"é"}');
  });

  it('reads a body much larger than its queue whole, however slowly it is read', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024 + 17);
    route = (_path, res) => res.writeHead(200).end(big);
    const res = await request('/big');
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) {
      chunks.push(Buffer.from(chunk));
      // A slow reader: the parser is paused meanwhile, nothing is lost.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(Buffer.concat(chunks).toString()).toBe(big);
  });

  it('rejects with the reason when aborted before the answer', async () => {
    route = () => {}; // never answers
    const controller = new AbortController();
    const pending = request('/hang', controller.signal);
    setImmediate(() => controller.abort(new Error('stop now')));
    await expect(pending).rejects.toThrow('stop now');
  });

  it('rejects at once when the signal was aborted already', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(request('/x', controller.signal)).rejects.toThrow('too late');
  });

  it('fails a body cut short of its Content-Length, never hands it on as whole', async () => {
    route = (_path, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"data": "only part', () => res.socket?.destroy());
    };
    const res = await request('/cut');
    await expect(text(res.body)).rejects.toThrow();
  });

  it('fails the body when aborted while it is read', async () => {
    route = (_path, res) => {
      res.writeHead(200);
      res.write('first part');
    };
    const controller = new AbortController();
    const res = await request('/half', controller.signal);
    const reading = text(res.body);
    setImmediate(() => controller.abort(new Error('cancelled mid-body')));
    await expect(reading).rejects.toThrow('cancelled mid-body');
  });

  it('lets a reader stop early, and the next request still goes through', async () => {
    route = (path, res) => {
      if (path === '/endless') {
        res.writeHead(200);
        const more = () => res.write('y'.repeat(64 * 1024), () => setImmediate(more));
        more();
      } else res.writeHead(200).end('fine');
    };
    const res = await request('/endless');
    let read = 0;
    for await (const chunk of res.body) {
      read += chunk.byteLength;
      if (read > 256 * 1024) break;
    }
    expect(read).toBeGreaterThan(256 * 1024);
    expect(await text((await request('/after')).body)).toBe('fine');
  });

  it('reads a small unwanted body away, and a large one closes its connection', async () => {
    route = (path, res) => {
      if (path === '/small') res.writeHead(302, { location: '/next' }).end('moved');
      else if (path === '/large') res.writeHead(302, { location: '/next' }).end('z'.repeat(1024 * 1024));
      else res.writeHead(200).end('next');
    };
    (await request('/small')).discard();
    (await request('/large')).discard();
    expect(await text((await request('/next')).body)).toBe('next');
  });

  it('rejects with the socket error when nothing listens', async () => {
    const closed = createServer();
    const origin = await listenOnLoopback(closed);
    closed.close();
    await once(closed, 'close');
    expect(await failureOf(transport, `${origin}/x`)).toMatch(/ECONNREFUSED/);
  });

  it('refuses a server whose certificate no trusted authority signed (https)', async () => {
    const dir = tempDir('ti-check-tls-');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const tls = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_req, res) => res.end('should not be read'),
    );
    const origin = await listenOnLoopback(tls, 'https');
    try {
      expect(await failureOf(transport, `${origin}/x`)).toMatch(/self[- ]signed/i);
    } finally {
      tls.close();
    }
  });
});
