import { describe, expect, it } from 'vitest';
import { AuthError, BadResponseError, RateLimitError } from '../../src/errors.js';
import { inquest } from '../../src/services/inquest/index.js';
import { fixture, lookup, md5, mockService, nock, sha1, sha256 } from '../http-mock.js';

const KEY = 'test-key-inquest-0123456789';
const HASH = 'e86c5988a3a6640fb90b90b9e9200e4cce0669594dbb5422622946208c124149';
const MD5 = 'b8ec0f5d681426b6dee1ff1398bac0f4';

function mockDetails(hash = HASH) {
  return mockService(inquest).get('/api/dfi/details').query({ sha256: hash });
}

describe('inquest', () => {
  it('maps a MALICIOUS record to malicious with one row per InQuest alert', async () => {
    mockDetails()
      .matchHeader('authorization', `Basic ${KEY}`)
      .reply(200, fixture('inquest', 'details-found.json'));
    const finding = await lookup(inquest, sha256(HASH), { apiKey: KEY });
    expect(finding).toEqual({
      verdict: 'malicious',
      entries: [
        {
          name: 'Document With Few Pages',
          category: 'undetected',
          detail:
            'info: Document contains between one and three pages of content. Most malicious documents are sparse in page count.',
        },
        {
          name: 'Emotet Macro Dropper 2020',
          category: 'malicious',
          detail: 'malicious: Detected heuristics indicative of an Emotet macro.',
        },
        {
          name: 'Suspicious Document Variables',
          category: 'suspicious',
          detail:
            'suspicious: Detected a macro that references a suspicious number of tersely named variables.',
        },
      ],
      summary: 'MALICIOUS · DOC · 3 alerts',
    });
  });

  it('works without a key and then sends no Authorization header', async () => {
    nock(inquest.baseUrl, { badheaders: ['authorization'] })
      .get('/api/dfi/details')
      .query({ sha256: HASH })
      .reply(200, fixture('inquest', 'details-found.json'));
    const finding = await lookup(inquest, sha256(HASH));
    expect(finding?.verdict).toBe('malicious');
  });

  it('searches md5 and sha1, uses the first record and links its sha256', async () => {
    mockService(inquest)
      .get('/api/dfi/search/hash/md5')
      .query({ hash: MD5 })
      .reply(200, fixture('inquest', 'search-found.json'));
    const finding = await lookup(inquest, md5(MD5), { apiKey: KEY });
    expect(finding).toEqual({
      verdict: 'undetected',
      entries: [{ name: 'InQuest DFI', category: 'undetected', detail: 'UNKNOWN' }],
      summary: 'UNKNOWN · XLS',
      link: 'https://labs.inquest.net/dfi/sha256/b43e1cef3c40e4629529c0ddcdef3c5be451477afd713abd0b67e1260831ba19',
    });
  });

  it('maps BENIGN to clean', async () => {
    const body = JSON.parse(fixture('inquest', 'details-found.json'));
    body.data.classification = 'BENIGN';
    body.data.inquest_alerts = [];
    mockDetails().reply(200, body);
    const finding = await lookup(inquest, sha256(HASH), { apiKey: KEY });
    expect(finding?.verdict).toBe('clean');
  });

  it('returns null for a 404 on details', async () => {
    mockDetails().reply(404, '');
    await expect(lookup(inquest, sha256(HASH), { apiKey: KEY })).resolves.toBeNull();
  });

  it('returns null for an empty search', async () => {
    const SHA1 = '1e7e850f1352b330403bc2d683f6d05dec7aec74';
    mockService(inquest)
      .get('/api/dfi/search/hash/sha1')
      .query({ hash: SHA1 })
      .reply(200, { data: [], success: true });
    await expect(lookup(inquest, sha1(SHA1), { apiKey: KEY })).resolves.toBeNull();
  });

  it('rejects an unknown classification (schema drift)', async () => {
    const body = JSON.parse(fixture('inquest', 'details-found.json'));
    body.data.classification = 'PROBABLY_FINE';
    mockDetails().reply(200, body);
    await expect(lookup(inquest, sha256(HASH), { apiKey: KEY })).rejects.toBeInstanceOf(BadResponseError);
  });

  it('rejects success=false inside a 200', async () => {
    mockDetails().reply(200, { success: false, error: 'something broke' });
    await expect(lookup(inquest, sha256(HASH), { apiKey: KEY })).rejects.toThrow(/something broke/);
  });

  it('maps 401 to AuthError without the key in the message', async () => {
    mockDetails().reply(401, { success: false, error: `invalid key ${KEY}` });
    const error = await lookup(inquest, sha256(HASH), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('maps 429 to RateLimitError', async () => {
    mockDetails().reply(429, { success: false, error: 'rate limit exhausted' });
    await expect(lookup(inquest, sha256(HASH))).rejects.toBeInstanceOf(RateLimitError);
  });

  it('links a sha256 to its DFI page', () => {
    expect(inquest.link(sha256(HASH))).toBe(`https://labs.inquest.net/dfi/sha256/${HASH}`);
  });
});
