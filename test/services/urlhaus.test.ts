import { describe, expect, it } from 'vitest';
import { AuthError, BadResponseError } from '../../src/errors.js';
import { urlhaus } from '../../src/services/urlhaus/index.js';
import { fixture, fixtureJson, lookup, md5, mockService, sha256 } from '../http-mock.js';

const KEY = 'test-key-urlhaus-0123456789';
const SHA = '35e304d10d53834e3e41035d12122773c9a4d183a24e03f980ad3e6b2ecde7fa';
const MD5 = '1585ad28f7d1e0ca696e6c6c2f1d008a';

describe('urlhaus', () => {
  it('reads a listed payload as malicious, one row per delivery URL', async () => {
    // The recorded body leaves query_status as a placeholder (its source test parametrizes it).
    const found = { ...(fixtureJson('urlhaus', 'found.json') as object), query_status: 'ok' };
    mockService(urlhaus)
      .post('/v1/payload/', { sha256_hash: SHA })
      .matchHeader('auth-key', KEY)
      .reply(200, found);
    await expect(lookup(urlhaus, sha256(SHA), { apiKey: KEY })).resolves.toEqual({
      verdict: 'malicious',
      summary: 'delivered by 2 malware URLs · signature: test_sig',
      entries: [
        { name: 'test_url', category: 'malicious', detail: 'offline · PAY2632216543098764.doc · test_sig' },
        {
          name: 'http://demo.trydaps.com/gzVv-22Omv_aIQZybVK-aJ/En/Question/',
          category: 'malicious',
          detail: 'offline · 5518475554292.doc · test_sig',
        },
      ],
    });
  });

  it('asks by md5_hash for an MD5', async () => {
    mockService(urlhaus)
      .post('/v1/payload/', { md5_hash: MD5 })
      .reply(200, fixture('urlhaus', 'not-found.json'));
    await expect(lookup(urlhaus, md5(MD5), { apiKey: KEY })).resolves.toBeNull();
  });

  it('returns null on no_results (real answer)', async () => {
    mockService(urlhaus)
      .post('/v1/payload/', { sha256_hash: SHA })
      .reply(200, fixture('urlhaus', 'not-found.json'));
    await expect(lookup(urlhaus, sha256(SHA), { apiKey: KEY })).resolves.toBeNull();
  });

  it('rejects a changed body instead of reading it as not found', async () => {
    mockService(urlhaus)
      .post('/v1/payload/', { sha256_hash: SHA })
      .reply(200, { query_status: 'ok', urls: 'two' });
    await expect(lookup(urlhaus, sha256(SHA), { apiKey: KEY })).rejects.toBeInstanceOf(BadResponseError);
  });

  it('rejects an unexpected query_status', async () => {
    mockService(urlhaus)
      .post('/v1/payload/', { sha256_hash: SHA })
      .reply(200, { query_status: 'invalid_sha256' });
    await expect(lookup(urlhaus, sha256(SHA), { apiKey: KEY })).rejects.toThrow(/invalid_sha256/);
  });

  it('maps unknown_auth_key in a 200 body to an auth error', async () => {
    mockService(urlhaus)
      .post('/v1/payload/', { sha256_hash: SHA })
      .reply(200, { query_status: 'unknown_auth_key' });
    await expect(lookup(urlhaus, sha256(SHA), { apiKey: KEY })).rejects.toBeInstanceOf(AuthError);
  });

  it('maps 401 to an auth error without repeating the key', async () => {
    mockService(urlhaus)
      .post('/v1/payload/', { sha256_hash: SHA })
      .reply(401, `{"error": "Unauthorized", "key": "${KEY}"}`);
    const error = await lookup(urlhaus, sha256(SHA), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('links the URLhaus browser search', () => {
    expect(urlhaus.link(sha256(SHA))).toBe(`https://urlhaus.abuse.ch/browse.php?search=${SHA}`);
  });
});
