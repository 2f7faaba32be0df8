import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { z } from 'zod';
import {
  AuthError,
  BadResponseError,
  NetworkError,
  RateLimitError,
  TimeoutError,
  UnavailableError,
} from '../../src/errors.js';
import { createServiceHttp } from '../../src/http/client.js';
import { listenOnLoopback } from '../helpers/loopback-server.js';
import { nock } from '../http-mock.js';

const BASE = 'https://api.vendor.test';
const KEY = 'sekrit-key-123456';

function client(overrides: Partial<Parameters<typeof createServiceHttp>[0]> = {}) {
  return createServiceHttp({ baseUrl: BASE, secrets: [KEY], timeoutMs: 1_000, ...overrides });
}

describe('createServiceHttp', () => {
  it('joins base URL prefix, path and query, and sends form bodies', async () => {
    nock(BASE)
      .post('/prefix/api/v1/', 'query=get_info&hash=abc')
      .query({ a: '1' })
      .matchHeader('user-agent', /^ti-check\//)
      .reply(200, { ok: true });
    const http = client({ baseUrl: `${BASE}/prefix/` });
    const res = await http.request({
      path: '/api/v1/',
      query: { a: '1' },
      form: { query: 'get_info', hash: 'abc' },
    });
    expect(res.decode(z.object({ ok: z.boolean() }))).toEqual({ ok: true });
  });

  it('returns accepted non-2xx statuses as answers', async () => {
    nock(BASE).get('/x').reply(404, { error: 'NotFoundError' });
    const res = await client().request({ path: '/x', accept: [404] });
    expect(res.status).toBe(404);
  });

  it('maps 401 to an auth error and never repeats the key', async () => {
    nock(BASE).get('/x').reply(401, `bad key ${KEY}`);
    const error = await client()
      .request({ path: '/x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toBe('HTTP 401 Unauthorized: bad key ***');
  });

  it('maps 429 to rate_limited with the Retry-After it gave', async () => {
    nock(BASE).get('/x').reply(429, 'slow down', { 'retry-after': '120' });
    const error = await client()
      .request({ path: '/x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterSeconds).toBe(120);
  });

  it('never retries a 429 or a 503 itself: one request, the Retry-After goes up to the throttle', async () => {
    const scope = nock(BASE)
      .get('/busy')
      .reply(429, '', { 'retry-after': '0' })
      .get('/down')
      .reply(503, 'maintenance', { 'retry-after': '30' })
      .get('/broken')
      .reply(502, 'bad gateway', { 'retry-after': '30' });
    const busy = await client()
      .request({ path: '/busy' })
      .catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(RateLimitError);
    expect((busy as RateLimitError).retryAfterSeconds).toBe(0);
    const down = await client()
      .request({ path: '/down' })
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(UnavailableError);
    expect((down as UnavailableError).retryAfterSeconds).toBe(30);
    // Only a 503 says "come back later"; a 502 is not a planned pause.
    const broken = await client()
      .request({ path: '/broken' })
      .catch((e: unknown) => e);
    expect((broken as UnavailableError).retryAfterSeconds).toBeUndefined();
    expect(scope.isDone()).toBe(true);
  });

  it('reports a body that is not JSON as bad_response', async () => {
    nock(BASE).get('/x').reply(200, '<html>maintenance</html>');
    const res = await client().request({ path: '/x' });
    expect(() => res.json()).toThrow(BadResponseError);
  });

  it('reports schema drift with the failing path', async () => {
    nock(BASE)
      .get('/x')
      .reply(200, { data: { stats: 'many' } });
    const res = await client().request({ path: '/x' });
    expect(() => res.decode(z.object({ data: z.object({ stats: z.number() }) }))).toThrow(/data\.stats/);
  });

  it('maps connection failures to network errors', async () => {
    nock(BASE).get('/x').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    await expect(client().request({ path: '/x' })).rejects.toBeInstanceOf(NetworkError);
  });

  it('times out a slow answer', async () => {
    // The deadline runs on the fake clock; nock's delay keeps a real timer, cleared after the test.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    onTestFinished(() => void vi.useRealTimers());
    nock(BASE).get('/x').delay(3_600_000).reply(200, {});
    const pending = client({ timeoutMs: 100 })
      .request({ path: '/x' })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(99);
    expect(await Promise.race([pending, 'still waiting'])).toBe('still waiting');
    await vi.advanceTimersByTimeAsync(1);
    const error = await pending;
    expect(error).toBeInstanceOf(TimeoutError);
    // The limit that was hit and what to do about it.
    expect((error as Error).message).toBe('no answer within 0.1 s (raise --timeout, or check HTTPS_PROXY)');
  });
});

describe('createServiceHttp over real sockets', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url, key: req.headers['x-apikey'] ?? null }));
    });
    base = await listenOnLoopback(server);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('goes through the undici proxy-aware dispatcher to a local server', async () => {
    const res = await client({ baseUrl: `${base}/onprem` }).request({
      path: '/api/v3/files/ab',
      headers: { 'x-apikey': KEY },
    });
    expect(res.json()).toEqual({ path: '/onprem/api/v3/files/ab', key: KEY });
  });

  it('reports a refused connection as a network error', async () => {
    const closed = createServer();
    const origin = await listenOnLoopback(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await client({ baseUrl: origin })
      .request({ path: '/' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    // Named once: Node's own message already says it ("connect ECONNREFUSED 127.0.0.1:…").
    expect((error as Error).message.match(/ECONNREFUSED/g)).toHaveLength(1);
  });
});
