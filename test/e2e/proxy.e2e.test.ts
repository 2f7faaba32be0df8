/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY: the built binary reaches a vendor through a local forward proxy,
 * and goes direct for hosts NO_PROXY names.
 */
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { type FakeVendor, startFakeVendor } from '../helpers/fake-vendor.js';
import { assertBuilt, isolatedEnv, runBin } from '../helpers/run-bin.js';
import { fixture } from '../http-mock.js';

const EICAR_SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
// A name that resolves nowhere: only a proxy can reach it.
const VENDOR_HOST = 'threatfox.vendor.invalid';

let vendor: FakeVendor;
let proxy: Server;
let proxyUrl: string;
const proxied: string[] = [];

beforeAll(async () => {
  assertBuilt();
  vendor = await startFakeVendor([
    { method: 'POST', path: '/api/v1/', body: () => fixture('threatfox', 'found.json') },
  ]);
  const target = new URL(vendor.url);
  // A minimal forward proxy: whatever host is asked for, the tunnel reaches the fake vendor.
  proxy = createServer((_req, res) => res.writeHead(405).end('this proxy only tunnels'));
  // undici tunnels through proxies with CONNECT, for http and https targets alike.
  proxy.on('connect', (req, socket, head) => {
    proxied.push(`CONNECT ${req.url}`);
    const upstream = connect(Number(target.port), target.hostname, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await vendor.close();
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
});

const args = ['--hash', EICAR_SHA256, '--services=threatfox', '--json'];

describe('proxy support (built binary)', () => {
  it('sends vendor requests through HTTP_PROXY', async () => {
    const env = isolatedEnv({
      HTTP_PROXY: proxyUrl,
      TI_CHECK_THREATFOX_URL: `http://${VENDOR_HOST}`,
      TI_CHECK_THREATFOX_KEY: 'proxy-test-key',
    });
    const { code, stdout } = await runBin(args, { env });
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as Report).results[0]?.services[0]?.status).toBe('found');
    expect(proxied).toEqual([`CONNECT ${VENDOR_HOST}:80`]);
  });

  it('goes direct for hosts listed in NO_PROXY', async () => {
    proxied.length = 0;
    const env = isolatedEnv({
      HTTP_PROXY: proxyUrl,
      NO_PROXY: '127.0.0.1',
      TI_CHECK_THREATFOX_URL: vendor.url,
      TI_CHECK_THREATFOX_KEY: 'proxy-test-key',
    });
    const { code } = await runBin(args, { env });
    expect(code).toBe(1);
    expect(proxied).toEqual([]);
  });

  it('ends promptly after the report when the proxy never answers', async () => {
    // Accepts the connection, then says nothing, ever: the lookup times out, and the process must
    // not wait on that socket after printing the report (it used to wait for minutes).
    const silent = createNetServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const env = isolatedEnv({
        HTTPS_PROXY: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        TI_CHECK_THREATFOX_URL: `https://${VENDOR_HOST}`,
        TI_CHECK_THREATFOX_KEY: 'proxy-test-key',
      });
      const started = Date.now();
      const { code, stdout } = await runBin([...args, '--timeout', '1'], { env });
      expect(code).toBe(3);
      expect((JSON.parse(stdout) as Report).results[0]?.services[0]?.error?.code).toBe('timeout');
      // A bound on a hang, not a benchmark: one 1 s timeout plus start-up, far below the old minutes.
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      silent.close();
    }
  }, 60_000);
});
