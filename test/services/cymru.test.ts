import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createServiceDns } from '../../src/dns/client.js';
import { BadResponseError, NetworkError, TimeoutError, UnavailableError } from '../../src/errors.js';
import { createServiceHttp } from '../../src/http/client.js';
import type { HashRef } from '../../src/model/report.js';
import { cymru } from '../../src/services/cymru/index.js';
import { closedPort, useDnsServer } from '../helpers/dns-server.js';
import { fixture, md5, sha1 } from '../http-mock.js';

// The MD5 and answer from Team Cymru's MHR example as recorded in fixtures/cymru/SOURCES.md.
const KNOWN = '733a48a9cb49651d72fe824ca91e8d00';
const UNKNOWN = '1e39efe30b02fd96b10785b49e23913b';

const server = useDnsServer();

/** Run the adapter as the runner does, with a real DNS client bound to `dnsServer`. */
function lookup(hash: HashRef, { dnsServer = server().url, timeoutMs = 1_000 } = {}) {
  const signal = new AbortController().signal;
  const http = createServiceHttp({ baseUrl: 'http://127.0.0.1:9', secrets: [], timeoutMs, signal });
  const dns = createServiceDns({ server: dnsServer, timeoutMs, signal });
  return cymru.lookup(hash, {
    http,
    dns,
    apiKey: undefined,
    baseUrl: dnsServer,
    signal,
    secret: () => undefined,
    state: new Map(),
  });
}

describe('cymru', () => {
  it('reads a listed hash as malicious above the threshold', async () => {
    server().txt.set(`${KNOWN}.malware.hash.cymru.com`, [[fixture('cymru', 'found.txt').trim()]]);
    await expect(lookup(md5(KNOWN))).resolves.toEqual({
      entries: [
        {
          name: 'Malware Hash Registry',
          category: 'malicious',
          detail: '79% AV detection · last seen 2010-06-22',
        },
      ],
      verdict: 'malicious',
      summary: 'listed · 79% AV detection · last seen 2010-06-22',
    });
    expect(server().queries).toEqual([`${KNOWN}.malware.hash.cymru.com`]);
  });

  it('reads a low detection rate as suspicious, never clean', async () => {
    const hash = 'a'.repeat(40);
    server().txt.set(`${hash}.malware.hash.cymru.com`, [['1277221946 10']]);
    const finding = await lookup(sha1(hash));
    expect(finding?.verdict).toBe('suspicious');
    expect(finding?.entries[0]?.category).toBe('suspicious');
  });

  it('returns null when the registry does not know the hash (NXDOMAIN)', async () => {
    await expect(lookup(md5(UNKNOWN))).resolves.toBeNull();
  });

  it('rejects an answer of another shape instead of reading it as not found', async () => {
    server().txt.set(`${KNOWN}.malware.hash.cymru.com`, [['NO_DATA']]);
    await expect(lookup(md5(KNOWN))).rejects.toBeInstanceOf(BadResponseError);
  });

  it('maps a resolver failure (SERVFAIL) to unavailable', async () => {
    server().behaviour = 'servfail';
    await expect(lookup(md5(KNOWN))).rejects.toBeInstanceOf(UnavailableError);
  });

  it('maps a silent resolver to a timeout', async () => {
    // The deadline runs on the fake clock; c-ares's own (real) timeout is far away.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    onTestFinished(() => void vi.useRealTimers());
    server().behaviour = 'silent';
    const pending = lookup(md5(KNOWN), { timeoutMs: 60_000 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await pending).toBeInstanceOf(TimeoutError);
  });

  it('maps an unreachable resolver to a network error', async () => {
    const port = await closedPort();
    const error = await lookup(md5(KNOWN), { dnsServer: `dns://127.0.0.1:${port}` }).catch((e: unknown) => e);
    expect(error instanceof NetworkError || error instanceof TimeoutError).toBe(true);
  });

  it('links the registry documentation (there is no per-hash page)', () => {
    expect(cymru.link(md5(KNOWN))).toBe('https://www.team-cymru.com/mhr');
  });
});
