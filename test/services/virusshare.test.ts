import { describe, expect, it } from 'vitest';
import {
  AuthError,
  BadResponseError,
  NetworkError,
  RateLimitError,
  UnavailableError,
} from '../../src/errors.js';
import { virusshare } from '../../src/services/virusshare/index.js';
import { fixture, lookup, md5, mockService, sha256 } from '../http-mock.js';

const KEY = 'test-key-virusshare-0123';
const HASH = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';

function mockFile(hash = HASH) {
  return mockService(virusshare).get('/apiv2/file').query({ apikey: KEY, hash });
}

describe('virusshare', () => {
  it('maps a malware listing to a malicious verdict with the embedded engine rows', async () => {
    mockFile().reply(200, fixture('virusshare', 'found.json'));
    const finding = await lookup(virusshare, sha256(HASH), { apiKey: KEY });
    expect(finding).toEqual({
      verdict: 'malicious',
      entries: [
        { name: 'ESET-NOD32', category: 'malicious', detail: 'Eicar test file' },
        { name: 'Kaspersky', category: 'malicious', detail: 'EICAR-Test-File' },
        { name: 'Zoner', category: 'undetected', detail: null },
      ],
      summary: 'in the malware corpus · 2/3 VirusTotal engines',
      link: `https://virusshare.com/file?${HASH}`,
    });
  });

  it('maps a recorded malware listing without VirusTotal data to malicious with one VirusShare row', async () => {
    const md5Hash = '15d5c88dd0f15eb4426e191b91f2cefe';
    mockFile(md5Hash).reply(200, fixture('virusshare', 'found-no-vt.json'));
    await expect(lookup(virusshare, md5(md5Hash), { apiKey: KEY })).resolves.toEqual({
      verdict: 'malicious',
      entries: [{ name: 'VirusShare', category: 'malicious', detail: 'in the malware corpus' }],
      summary: 'in the malware corpus',
      link: 'https://virusshare.com/file?036eef46db1f85a5c499d363e0f4d3b40051c9ef81ccd3f2173008c0c5dea4f4',
    });
  });

  it('links the sha256 from the answer when asked by md5', async () => {
    mockFile('44d88612fea8a8f36de82e1278abb02f').reply(200, fixture('virusshare', 'found.json'));
    const finding = await lookup(virusshare, md5('44d88612fea8a8f36de82e1278abb02f'), { apiKey: KEY });
    expect(finding?.link).toBe(`https://virusshare.com/file?${HASH}`);
  });

  it('maps a benign listing to clean', async () => {
    mockFile().reply(200, fixture('virusshare', 'benign.json'));
    const finding = await lookup(virusshare, sha256(HASH), { apiKey: KEY });
    expect(finding?.verdict).toBe('clean');
    expect(finding?.entries).toEqual([{ name: 'VirusShare', category: 'clean', detail: 'listed as benign' }]);
  });

  it('returns null for response 0', async () => {
    mockFile().reply(200, fixture('virusshare', 'not-found.json'));
    await expect(lookup(virusshare, sha256(HASH), { apiKey: KEY })).resolves.toBeNull();
  });

  it('rejects an unknown response code (schema drift)', async () => {
    mockFile().reply(200, { response: 7 });
    await expect(lookup(virusshare, sha256(HASH), { apiKey: KEY })).rejects.toBeInstanceOf(BadResponseError);
  });

  it('rejects a body that is not JSON', async () => {
    mockFile().reply(200, '<html>maintenance</html>');
    await expect(lookup(virusshare, sha256(HASH), { apiKey: KEY })).rejects.toBeInstanceOf(BadResponseError);
  });

  it('maps a refused key to AuthError and never repeats the key', async () => {
    mockFile().reply(403, `Invalid API key ${KEY}`);
    const error = await lookup(virusshare, sha256(HASH), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('maps the 204 budget answer to RateLimitError', async () => {
    mockFile().reply(204);
    await expect(lookup(virusshare, sha256(HASH), { apiKey: KEY })).rejects.toBeInstanceOf(RateLimitError);
  });

  it('maps 5xx to UnavailableError without the key in the message', async () => {
    mockFile().reply(502, `bad gateway for /apiv2/file?apikey=${KEY}`);
    const error = await lookup(virusshare, sha256(HASH), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('maps a broken connection to NetworkError without the key in the message', async () => {
    mockFile().replyWithError({ code: 'ECONNRESET', message: `socket hang up ?apikey=${KEY}` });
    const error = await lookup(virusshare, sha256(HASH), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('links a hash to its VirusShare page', () => {
    expect(virusshare.link(sha256(HASH))).toBe(`https://virusshare.com/file?${HASH}`);
  });
});
