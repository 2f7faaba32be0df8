import { describe, expect, it } from 'vitest';
import { AuthError, BadResponseError } from '../../src/errors.js';
import { yaraify } from '../../src/services/yaraify/index.js';
import { fixture, lookup, md5, mockService, sha256 } from '../http-mock.js';

const KEY = 'test-key-yaraify-0123456789';
const EICAR_SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
const EICAR_MD5 = '44d88612fea8a8f36de82e1278abb02f';
const body = (hash: string) => ({ query: 'lookup_hash', search_term: hash });

describe('yaraify', () => {
  it('reads a ClamAV hit as malicious and YARA hits as suspicious, once per rule', async () => {
    mockService(yaraify)
      .post('/api/v1/', body(EICAR_MD5))
      .matchHeader('auth-key', KEY)
      .reply(200, fixture('yaraify', 'found.json'));
    await expect(lookup(yaraify, md5(EICAR_MD5), { apiKey: KEY })).resolves.toEqual({
      verdict: 'malicious',
      summary: '1 YARA · 1 ClamAV',
      link: `https://yaraify.abuse.ch/sample/${EICAR_SHA256}/`,
      entries: [
        { name: 'Win.Test.EICAR_HDB-1', category: 'malicious', detail: 'ClamAV' },
        {
          name: 'eicar_substring_test',
          category: 'suspicious',
          detail: 'Austin Byers | Airbnb CSIRT · Standard AV test, checking for an EICAR substring',
        },
      ],
    });
  });

  it("maps abuse.ch's own published answer: two tasks, ClamAV and YARA hits counted once", async () => {
    const sha = 'de7fa65d5cd5314ba0ce6ab19a7dcd9853639a1152447457de7efb39a9ba1f46';
    mockService(yaraify).post('/api/v1/', body(sha)).reply(200, fixture('yaraify', 'found-real.json'));
    const finding = await lookup(yaraify, sha256(sha), { apiKey: KEY });
    expect(finding?.verdict).toBe('malicious');
    expect(finding?.summary).toBe('2 YARA · 5 ClamAV');
    expect(finding?.link).toBe(`https://yaraify.abuse.ch/sample/${sha}/`);
    expect(finding?.entries.map((e) => [e.name, e.category, e.detail])).toEqual([
      ['PUA.Win.Packer.Upx-4', 'suspicious', 'ClamAV'],
      ['Win.Dropper.Gh0stRAT-9789289-0', 'malicious', 'ClamAV'],
      ['Win.Dropper.Gh0stRAT-9789290-0', 'malicious', 'ClamAV'],
      ['Win.Malware.FlyAgent-9850229-1', 'malicious', 'ClamAV'],
      ['Win.Malware.Zusy-5710245-0', 'malicious', 'ClamAV'],
      ['pe_imphash', 'suspicious', null],
      ['Skystars_Malware_Imphash', 'suspicious', 'Skystars LightDefender · imphash'],
    ]);
  });

  it('reads YARA-only hits as suspicious and PUA signatures as suspicious', async () => {
    mockService(yaraify)
      .post('/api/v1/', body(EICAR_SHA256))
      .reply(200, {
        query_status: 'ok',
        data: {
          metadata: { sha256_hash: EICAR_SHA256 },
          tasks: [{ static_results: [{ rule_name: 'r1' }], clamav_results: ['PUA.Win.Tool.Agent-1'] }],
        },
      });
    const finding = await lookup(yaraify, sha256(EICAR_SHA256), { apiKey: KEY });
    expect(finding?.verdict).toBe('suspicious');
    expect(finding?.entries.map((entry) => entry.category)).toEqual(['suspicious', 'suspicious']);
  });

  it('reads a known file without hits as undetected', async () => {
    mockService(yaraify)
      .post('/api/v1/', body(EICAR_SHA256))
      .reply(200, {
        query_status: 'ok',
        data: { metadata: {}, tasks: [{ static_results: [], clamav_results: null }] },
      });
    const finding = await lookup(yaraify, sha256(EICAR_SHA256), { apiKey: KEY });
    expect(finding).toEqual({ entries: [], verdict: 'undetected', summary: 'no YARA or ClamAV hits' });
  });

  it('returns null when YARAify does not know the hash', async () => {
    mockService(yaraify)
      .post('/api/v1/', body(EICAR_SHA256))
      .reply(200, fixture('yaraify', 'not-found.json'));
    await expect(lookup(yaraify, sha256(EICAR_SHA256), { apiKey: KEY })).resolves.toBeNull();
  });

  it('rejects a changed body instead of reading it as not found', async () => {
    mockService(yaraify)
      .post('/api/v1/', body(EICAR_SHA256))
      .reply(200, { query_status: 'ok', data: { tasks: [{ static_results: [{ name: 'r1' }] }] } });
    await expect(lookup(yaraify, sha256(EICAR_SHA256), { apiKey: KEY })).rejects.toBeInstanceOf(
      BadResponseError,
    );
  });

  it('rejects an unexpected query_status', async () => {
    mockService(yaraify)
      .post('/api/v1/', body(EICAR_SHA256))
      .reply(200, { query_status: 'illegal_search_term' });
    await expect(lookup(yaraify, sha256(EICAR_SHA256), { apiKey: KEY })).rejects.toThrow(
      /illegal_search_term/,
    );
  });

  it('maps unknown_auth_key in a 200 body to an auth error', async () => {
    mockService(yaraify)
      .post('/api/v1/', body(EICAR_SHA256))
      .reply(200, { query_status: 'unknown_auth_key' });
    await expect(lookup(yaraify, sha256(EICAR_SHA256), { apiKey: KEY })).rejects.toBeInstanceOf(AuthError);
  });

  it('maps 403 to an auth error without repeating the key', async () => {
    mockService(yaraify)
      .post('/api/v1/', body(EICAR_SHA256))
      .reply(403, `{"query_status": "unknown_auth_key", "key": "${KEY}"}`);
    const error = await lookup(yaraify, sha256(EICAR_SHA256), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('links the sample page for a SHA-256', () => {
    expect(yaraify.link(sha256(EICAR_SHA256))).toBe(`https://yaraify.abuse.ch/sample/${EICAR_SHA256}/`);
  });
});
