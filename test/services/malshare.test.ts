import { describe, expect, it } from 'vitest';
import {
  AuthError,
  BadResponseError,
  NetworkError,
  RateLimitError,
  UnavailableError,
} from '../../src/errors.js';
import { malshare } from '../../src/services/malshare/index.js';
import { fixture, lookup, md5, mockService, sha256 } from '../http-mock.js';

const KEY = 'test-key-malshare-0123456789';
// The sample of the real recorded answer in fixtures/malshare/found.json.
const HASH = 'c2c855b71cc8b1c1c731f4cadab8a24db4cd8b66f8583cb9640c35d296baf6b0';
const MD5 = 'd84769d63aa6b8718ab4bd86e27e26a4';

function mockDetails(hash = HASH) {
  return mockService(malshare).get('/api.php').query({ api_key: KEY, action: 'details', hash });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).not.toContain(KEY);
  return error as Error;
}

describe('malshare', () => {
  it('maps a real listing to malicious with file type and source rows', async () => {
    mockDetails().reply(200, fixture('malshare', 'found.json'));
    const finding = await lookup(malshare, sha256(HASH), { apiKey: KEY });
    expect(finding).toEqual({
      verdict: 'malicious',
      entries: [
        { name: 'MalShare', category: 'malicious', detail: 'PE32' },
        {
          name: 'http://109.234.36.233/bot/Miner/bin/Release/LoaderBot.exe',
          category: 'malicious',
          detail: 'source',
        },
      ],
      summary: 'in the malware repository · PE32',
    });
  });

  it('adds a row per YARA hit when MalShare sends them', async () => {
    const body = { ...JSON.parse(fixture('malshare', 'found.json')), YARA: ['EICAR_Test_File'] };
    mockDetails(MD5).reply(200, body);
    const finding = await lookup(malshare, md5(MD5), { apiKey: KEY });
    expect(finding?.entries[1]).toEqual({
      name: 'EICAR_Test_File',
      category: 'malicious',
      detail: 'YARA rule',
    });
  });

  it('returns null for the plain-text "Sample not found" answer, 200 or 404', async () => {
    mockDetails().reply(200, fixture('malshare', 'not-found.txt'));
    await expect(lookup(malshare, sha256(HASH), { apiKey: KEY })).resolves.toBeNull();
    mockDetails().reply(404, fixture('malshare', 'not-found.txt'));
    await expect(lookup(malshare, sha256(HASH), { apiKey: KEY })).resolves.toBeNull();
  });

  it('rejects JSON without the hashes (schema drift)', async () => {
    mockDetails().reply(200, { F_TYPE: 'PE32' });
    await expect(lookup(malshare, sha256(HASH), { apiKey: KEY })).rejects.toBeInstanceOf(BadResponseError);
  });

  it('rejects unknown plain text without repeating the key', async () => {
    mockDetails().reply(200, `Unexpected failure for api_key=${KEY}`);
    const error = await failure(lookup(malshare, sha256(HASH), { apiKey: KEY }));
    expect(error).toBeInstanceOf(BadResponseError);
  });

  it('maps a refused key (401 or in-body) to AuthError without the key', async () => {
    mockDetails().reply(401, `Invalid API key ${KEY}`);
    expect(await failure(lookup(malshare, sha256(HASH), { apiKey: KEY }))).toBeInstanceOf(AuthError);
    mockDetails().reply(200, 'ERROR! => Account not activated');
    expect(await failure(lookup(malshare, sha256(HASH), { apiKey: KEY }))).toBeInstanceOf(AuthError);
  });

  it('maps 429 and the in-body limit answer to RateLimitError', async () => {
    mockDetails().reply(429, 'Too Many Requests');
    expect(await failure(lookup(malshare, sha256(HASH), { apiKey: KEY }))).toBeInstanceOf(RateLimitError);
    mockDetails().reply(200, 'Over Request Limit. Please wait 24 hours');
    expect(await failure(lookup(malshare, sha256(HASH), { apiKey: KEY }))).toBeInstanceOf(RateLimitError);
  });

  it('maps 5xx to UnavailableError without the key (which travels in the URL)', async () => {
    mockDetails().reply(503, `service down: /api.php?api_key=${KEY}&action=details`);
    expect(await failure(lookup(malshare, sha256(HASH), { apiKey: KEY }))).toBeInstanceOf(UnavailableError);
  });

  it('maps a broken connection to NetworkError without the key', async () => {
    mockDetails().replyWithError({ code: 'ECONNRESET', message: `socket hang up ?api_key=${KEY}` });
    expect(await failure(lookup(malshare, sha256(HASH), { apiKey: KEY }))).toBeInstanceOf(NetworkError);
  });

  it('links a hash to its MalShare page', () => {
    expect(malshare.link(sha256(HASH))).toBe(`https://malshare.com/sample.php?action=detail&hash=${HASH}`);
  });
});
