import { beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { ServiceRun } from '../../src/core/service-run.js';
import {
  AuthError,
  BadResponseError,
  NetworkError,
  RateLimitError,
  TimeoutError,
  UnavailableError,
} from '../../src/errors.js';
import { intezer } from '../../src/services/intezer/index.js';
import { fixture, lookup, md5, mockService, sha256 } from '../http-mock.js';

const KEY = 'test-key-intezer-0123456789';
const TOKEN = 'access-token';
const HASH = '4e553bce90f0b39cd71ba633da5990259e185979c2859ec2e04dd8efcdafe356';

function mockToken(body: string = fixture('intezer', 'access-token.json')) {
  return mockService(intezer).post('/api/v2-0/get-access-token', { api_key: KEY }).reply(200, body);
}

function mockFile(hash = HASH, token = TOKEN) {
  return mockService(intezer).get(`/api/v2-0/files/${hash}`).matchHeader('authorization', `Bearer ${token}`);
}

/** One run per test: the exchanged token lives in it, as it does for a whole ti-check run. */
let run: ServiceRun;
beforeEach(() => {
  run = new ServiceRun(KEY);
});

describe('intezer', () => {
  it('exchanges the key for a token and maps the latest analysis', async () => {
    mockToken();
    mockFile().reply(200, fixture('intezer', 'latest-analysis.json'));
    const finding = await lookup(intezer, sha256(HASH), { apiKey: KEY, run });
    expect(finding).toEqual({
      verdict: 'malicious',
      entries: [{ name: 'Intezer Analyze', category: 'malicious', detail: 'Ramnit' }],
      summary: 'malicious · family: Ramnit',
    });
  });

  it('reuses the cached token for the next file', async () => {
    mockToken();
    mockFile().reply(200, fixture('intezer', 'latest-analysis.json'));
    const other = '44d88612fea8a8f36de82e1278abb02f';
    mockFile(other).reply(404);
    await lookup(intezer, sha256(HASH), { apiKey: KEY, run });
    await expect(lookup(intezer, md5(other), { apiKey: KEY, run })).resolves.toBeNull();
  });

  it('renews the token once when the cached one is refused', async () => {
    mockToken(JSON.stringify({ result: 'old-token' }));
    mockFile(HASH, 'old-token').reply(404);
    await lookup(intezer, sha256(HASH), { apiKey: KEY, run });
    mockFile(HASH, 'old-token').reply(401);
    mockToken();
    mockFile().reply(200, fixture('intezer', 'latest-analysis.json'));
    const finding = await lookup(intezer, sha256(HASH), { apiKey: KEY, run });
    expect(finding?.verdict).toBe('malicious');
  });

  it.each([
    ['known_malicious', 'malicious'],
    ['suspicious', 'suspicious'],
    ['trusted', 'clean'],
    ['neutral', 'undetected'],
    ['no_threats', 'undetected'],
    ['unknown', 'undetected'],
    ['not_supported', 'undetected'],
  ] as const)('maps verdict %s to %s', async (verdict, category) => {
    mockToken();
    mockFile().reply(200, { result: { verdict, sub_verdict: verdict } });
    const finding = await lookup(intezer, sha256(HASH), { apiKey: KEY, run });
    expect(finding?.verdict).toBe(category);
    expect(finding?.summary).toBe(verdict);
  });

  it('returns null for 404', async () => {
    mockToken();
    mockFile().reply(404, { error: 'Not Found' });
    await expect(lookup(intezer, sha256(HASH), { apiKey: KEY, run })).resolves.toBeNull();
  });

  it('rejects an unknown verdict (schema drift)', async () => {
    mockToken();
    mockFile().reply(200, { result: { verdict: 'dangerous' } });
    await expect(lookup(intezer, sha256(HASH), { apiKey: KEY, run })).rejects.toBeInstanceOf(
      BadResponseError,
    );
  });

  it('maps a refused key (401 or 400 on the exchange) to AuthError without the key', async () => {
    mockService(intezer).post('/api/v2-0/get-access-token').reply(401, `bad key ${KEY}`);
    const error = await lookup(intezer, sha256(HASH), { apiKey: KEY, run }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).not.toContain(KEY);
    mockService(intezer).post('/api/v2-0/get-access-token').reply(400, { message: 'invalid api_key' });
    await expect(lookup(intezer, sha256(HASH), { apiKey: KEY, run })).rejects.toBeInstanceOf(AuthError);
  });

  it('maps a 403 quota answer to RateLimitError and a permissions answer to AuthError', async () => {
    mockToken();
    mockFile().reply(403, { error: 'Insufficient quota' });
    await expect(lookup(intezer, sha256(HASH), { apiKey: KEY, run })).rejects.toBeInstanceOf(RateLimitError);
    mockFile().reply(403, { error: 'Insufficient Permissions' });
    await expect(lookup(intezer, sha256(HASH), { apiKey: KEY, run })).rejects.toBeInstanceOf(AuthError);
  });

  it('maps 429 to RateLimitError', async () => {
    mockToken();
    mockFile().reply(429, 'slow down');
    await expect(lookup(intezer, sha256(HASH), { apiKey: KEY, run })).rejects.toBeInstanceOf(RateLimitError);
  });

  it('maps 5xx to UnavailableError and never shows the bearer token', async () => {
    mockToken();
    mockFile().reply(502, `upstream failed for Authorization: Bearer ${TOKEN}`);
    const error = await lookup(intezer, sha256(HASH), { apiKey: KEY, run }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('maps a broken connection to NetworkError', async () => {
    mockToken();
    mockFile().replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    await expect(lookup(intezer, sha256(HASH), { apiKey: KEY, run })).rejects.toBeInstanceOf(NetworkError);
  });

  it('does not cache a failed exchange', async () => {
    mockService(intezer).post('/api/v2-0/get-access-token').replyWithError({ code: 'ECONNRESET' });
    await expect(lookup(intezer, sha256(HASH), { apiKey: KEY, run })).rejects.toBeInstanceOf(NetworkError);
    mockToken();
    mockFile().reply(404);
    await expect(lookup(intezer, sha256(HASH), { apiKey: KEY, run })).resolves.toBeNull();
  });

  it('times out a slow answer', async () => {
    // The deadline runs on the fake clock; nock's delay keeps a real timer, cleared after the test.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    onTestFinished(() => void vi.useRealTimers());
    mockToken();
    const file = mockFile().delay(3_600_000).reply(200, fixture('intezer', 'latest-analysis.json'));
    const asked = new Promise((resolve) => file.once('request', resolve));
    const pending = lookup(intezer, sha256(HASH), { apiKey: KEY, run, timeoutMs: 20_000 }).catch(
      (e: unknown) => e,
    );
    // The token came back in time; now the file request is out, and its answer is not coming.
    await asked;
    await vi.advanceTimersByTimeAsync(19_999);
    expect(await Promise.race([pending, 'still waiting'])).toBe('still waiting');
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toBeInstanceOf(TimeoutError);
  });

  it('links a hash to its Intezer page', () => {
    expect(intezer.link(sha256(HASH))).toBe(`https://analyze.intezer.com/files/${HASH}`);
  });
});
