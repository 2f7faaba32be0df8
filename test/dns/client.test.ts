import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createServiceDns } from '../../src/dns/client.js';
import { ConfigError, NetworkError, TimeoutError, UnavailableError } from '../../src/errors.js';
import { closedPort, useDnsServer } from '../helpers/dns-server.js';

const server = useDnsServer();

function dns(timeoutMs = 1_000, signal?: AbortSignal) {
  return createServiceDns({ server: server().url, timeoutMs, signal });
}

describe('createServiceDns', () => {
  it('returns TXT records, joining the strings of each record', async () => {
    server().txt.set('known.example.test', [['1221154281 53'], ['part one ', 'part two']]);
    await expect(dns().txt('known.example.test')).resolves.toEqual(['1221154281 53', 'part one part two']);
    expect(server().queries).toEqual(['known.example.test']);
  });

  it('returns null for a name that does not exist (NXDOMAIN)', async () => {
    await expect(dns().txt('unknown.example.test')).resolves.toBeNull();
  });

  it('returns null for a name without TXT records (NODATA)', async () => {
    // A known name with no TXT records: NOERROR with an empty answer section.
    server().txt.set('empty.example.test', []);
    await expect(dns().txt('empty.example.test')).resolves.toBeNull();
  });

  it('maps a server failure to unavailable', async () => {
    server().behaviour = 'servfail';
    await expect(dns().txt('known.example.test')).rejects.toBeInstanceOf(UnavailableError);
  });

  it('maps a silent server to a timeout, when the time is up and not before', async () => {
    // The deadline's timer runs on the fake clock; c-ares's own (real) timeout is far away.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    onTestFinished(() => void vi.useRealTimers());
    server().behaviour = 'silent';
    const pending = dns(60_000)
      .txt('known.example.test')
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(await Promise.race([pending, 'still waiting'])).toBe('still waiting');
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toBeInstanceOf(TimeoutError);
  });

  it('maps a refused connection to a network error', async () => {
    const port = await closedPort();
    const client = createServiceDns({ server: `dns://127.0.0.1:${port}`, timeoutMs: 1_000 });
    const error = await client.txt('known.example.test').catch((e: unknown) => e);
    // c-ares reports ICMP port-unreachable as ECONNREFUSED; some kernels drop it and it times out.
    expect(error instanceof NetworkError || error instanceof TimeoutError).toBe(true);
  });

  it('stops when the run is cancelled', async () => {
    server().behaviour = 'silent';
    const controller = new AbortController();
    const pending = dns(60_000, controller.signal).txt('known.example.test');
    // Cancelled once the query has reached the server (it never answers).
    await vi.waitFor(() => expect(server().queries).toEqual(['known.example.test']));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(NetworkError);
  });

  it('fails at once when the run is already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(dns(1_000, controller.signal).txt('known.example.test')).rejects.toBeInstanceOf(
      NetworkError,
    );
  });

  it('accepts dns: and dns:// as the system resolver', () => {
    expect(() => createServiceDns({ server: 'dns:', timeoutMs: 100 })).not.toThrow();
    expect(() => createServiceDns({ server: 'dns://', timeoutMs: 100 })).not.toThrow();
  });

  it('rejects servers that are not dns:// IP addresses', () => {
    expect(() => createServiceDns({ server: 'https://1.1.1.1', timeoutMs: 100 })).toThrow(ConfigError);
    expect(() => createServiceDns({ server: 'dns://resolver.example', timeoutMs: 100 })).toThrow(ConfigError);
    expect(() => createServiceDns({ server: 'not a url', timeoutMs: 100 })).toThrow(ConfigError);
  });
});
