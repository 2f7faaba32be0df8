import { describe, expect, it } from 'vitest';
import { AuthError, BadResponseError } from '../../src/errors.js';
import { threatfox } from '../../src/services/threatfox/index.js';
import { fixture, lookup, md5, mockService, sha256 } from '../http-mock.js';

const KEY = 'test-key-threatfox-0123456789';
// The MD5 of ThreatFox's documented search_hash example.
const HOUDINI = '2151c4b970eff0071948dbbc19066aa4';
const SHA = 'b'.repeat(64);
const body = (hash: string) => ({ query: 'search_hash', hash });

describe('threatfox', () => {
  it('reads the IOCs linked to the sample as malicious, sending the Auth-Key header', async () => {
    mockService(threatfox)
      .post('/api/v1/', body(HOUDINI))
      .matchHeader('auth-key', KEY)
      .reply(200, fixture('threatfox', 'found.json'));
    await expect(lookup(threatfox, md5(HOUDINI), { apiKey: KEY })).resolves.toEqual({
      verdict: 'malicious',
      summary: '1 IOC · family: Houdini',
      entries: [
        {
          name: 'http://harold.jetos.com:3606/is-ready',
          category: 'malicious',
          detail: 'Houdini · botnet_cc · 100%',
        },
      ],
    });
  });

  it('returns null on no_result', async () => {
    mockService(threatfox).post('/api/v1/', body(SHA)).reply(200, fixture('threatfox', 'not-found.json'));
    await expect(lookup(threatfox, sha256(SHA), { apiKey: KEY })).resolves.toBeNull();
  });

  it('rejects a changed body instead of reading it as not found', async () => {
    mockService(threatfox)
      .post('/api/v1/', body(SHA))
      .reply(200, { query_status: 'ok', data: [{ value: 'x' }] });
    await expect(lookup(threatfox, sha256(SHA), { apiKey: KEY })).rejects.toBeInstanceOf(BadResponseError);
  });

  it('rejects an unexpected query_status', async () => {
    mockService(threatfox).post('/api/v1/', body(SHA)).reply(200, { query_status: 'illegal_hash' });
    await expect(lookup(threatfox, sha256(SHA), { apiKey: KEY })).rejects.toThrow(/illegal_hash/);
  });

  it('maps unknown_auth_key in a 200 body to an auth error', async () => {
    mockService(threatfox).post('/api/v1/', body(SHA)).reply(200, { query_status: 'unknown_auth_key' });
    await expect(lookup(threatfox, sha256(SHA), { apiKey: KEY })).rejects.toBeInstanceOf(AuthError);
  });

  it('maps 401/403 to an auth error without repeating the key', async () => {
    mockService(threatfox)
      .post('/api/v1/', body(SHA))
      .reply(403, { query_status: 'unknown_auth_key', key: KEY });
    const error = await lookup(threatfox, sha256(SHA), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('links the IOC browser', () => {
    expect(threatfox.link(sha256(SHA))).toBe(`https://threatfox.abuse.ch/browse.php?search=ioc%3A${SHA}`);
  });
});
