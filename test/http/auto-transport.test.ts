/**
 * The binary's transport choice (autoTransport): Node's own HTTP stack for a run's first 256
 * requests — a short run never loads undici — then undici's agent once a batch has loaded it.
 * Which stack sent a request shows in how it spells the Host header (Node: `Host`, undici: `host`).
 */
import { createServer, type Server } from 'node:http';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoTransport, closeTransports } from '../../src/http/transport.js';
import { listenOnLoopback } from '../helpers/loopback-server.js';

let server: Server;
let base: string;
const hostSpelling: string[] = [];

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];
const savedProxies = PROXY_VARIABLES.map((name) => [name, process.env[name]] as const);

beforeAll(async () => {
  for (const name of PROXY_VARIABLES) delete process.env[name];
  // nock patches node:http; this server is on 127.0.0.1, reached through Node's real stack.
  nock.restore();
  server = createServer((req, res) => {
    hostSpelling.push(req.rawHeaders.find((name) => name.toLowerCase() === 'host') ?? '');
    req.resume();
    res.writeHead(200).end('ok');
  });
  base = await listenOnLoopback(server);
});
afterAll(async () => {
  await closeTransports();
  server.closeAllConnections();
  server.close();
  nock.activate();
  for (const [name, value] of savedProxies) if (value !== undefined) process.env[name] = value;
});

async function ask(i: number): Promise<string> {
  const res = await autoTransport({
    url: new URL(`/n/${i}`, base),
    method: 'GET',
    headers: {},
    signal: new AbortController().signal,
  });
  const chunks: Buffer[] = [];
  for await (const chunk of res.body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString();
}

describe('the transport of a run without a proxy', () => {
  it("sends a short run's requests through Node's stack, and a batch's later ones through undici", async () => {
    for (let i = 0; i < 256; i++) expect(await ask(i)).toBe('ok');
    expect(new Set(hostSpelling)).toEqual(new Set(['Host']));
    // The 257th starts undici's load and still goes through Node's stack; once loaded, undici's.
    for (let i = 256; i < 600; i++) expect(await ask(i)).toBe('ok');
    expect(hostSpelling[256]).toBe('Host');
    expect(hostSpelling.at(-1)).toBe('host');
    expect(hostSpelling.length).toBe(600);
  });
});
