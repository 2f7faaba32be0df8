import { describe, expect, it } from 'vitest';
import { AuthError, BadResponseError, RateLimitError } from '../../src/errors.js';
import { metadefender } from '../../src/services/metadefender/index.js';
import { fixture, fixtureJson, lookup, mockService, sha256 } from '../http-mock.js';

const KEY = 'test-key-metadefender-0123456789';
// The Conti ransomware sample recorded in fixtures/metadefender/found.json.
const CONTI = '63625702e63e333f235b5025078cea1545f29b1ad42b1e46031911321779b6be';
const SANDBOXED = 'd426defd9fc742c1e1524a7fbb93655c35735594f3c3e64b1f13280d7edd24c9';
const SHA = 'a'.repeat(64);
const path = (hash: string) => `/v4/hash/${hash}`;

type Report = {
  scan_results: { scan_details: Record<string, { scan_result_i: number; threat_found: string }> };
};

describe('metadefender', () => {
  it('turns each engine into a row, sending the apikey header', async () => {
    mockService(metadefender)
      .get(path(CONTI))
      .matchHeader('apikey', KEY)
      .reply(200, fixture('metadefender', 'found.json'));
    const finding = await lookup(metadefender, sha256(CONTI), { apiKey: KEY });
    expect(finding?.entries).toHaveLength(34);
    expect(finding?.entries.filter((e) => e.category === 'malicious')).toHaveLength(20);
    expect(finding?.entries.filter((e) => e.category === 'undetected')).toHaveLength(13);
    expect(finding?.entries).toContainEqual({
      name: 'Kaspersky',
      category: 'malicious',
      detail: 'Trojan-Ransom.Win32.Cryptor.eay',
    });
    expect(finding?.entries).toContainEqual({ name: 'RocketCyber', category: 'suspicious', detail: null });
    expect(finding?.entries).toContainEqual({ name: 'ClamAV', category: 'undetected', detail: null });
    expect(finding?.verdict).toBeUndefined();
    expect(finding?.summary).toBe('threat: Trojan/Cryptor!UKA5wFNU');
  });

  it('reads the sandbox engine of a reputation answer', async () => {
    mockService(metadefender).get(path(SANDBOXED)).reply(200, fixture('metadefender', 'found-sandbox.json'));
    await expect(lookup(metadefender, sha256(SANDBOXED), { apiKey: KEY })).resolves.toEqual({
      entries: [{ name: 'MetaDefender Sandbox', category: 'malicious', detail: null }],
    });
  });

  it('leaves out engines without a verdict and maps PUA and allowlist codes', async () => {
    const body = fixtureJson('metadefender', 'found.json') as Report;
    const details = body.scan_results.scan_details;
    details.Antiy = { scan_result_i: 10, threat_found: '' };
    details.HAURI = { scan_result_i: 23, threat_found: '' };
    details.Filseclab = { scan_result_i: 3, threat_found: '' };
    details.TACHYON = { scan_result_i: 22, threat_found: 'PUA.Generic' };
    details.ClamAV = { scan_result_i: 7, threat_found: '' };
    mockService(metadefender).get(path(CONTI)).reply(200, body);
    const finding = await lookup(metadefender, sha256(CONTI), { apiKey: KEY });
    expect(finding?.entries).toHaveLength(31);
    expect(finding?.entries.map((e) => e.name)).not.toContain('Antiy');
    expect(finding?.entries).toContainEqual({
      name: 'TACHYON',
      category: 'suspicious',
      detail: 'PUA.Generic',
    });
    expect(finding?.entries).toContainEqual({ name: 'ClamAV', category: 'clean', detail: null });
  });

  it('returns null on 404003', async () => {
    mockService(metadefender).get(path(SHA)).reply(404, fixture('metadefender', 'not-found.json'));
    await expect(lookup(metadefender, sha256(SHA), { apiKey: KEY })).resolves.toBeNull();
  });

  it('does not read another 404 as not found', async () => {
    mockService(metadefender)
      .get(path(SHA))
      .reply(404, { error: { code: 404001, messages: ['Endpoint not found'] } });
    await expect(lookup(metadefender, sha256(SHA), { apiKey: KEY })).rejects.toThrow(/404001/);
  });

  it('rejects an unknown engine code instead of dropping it', async () => {
    const body = fixtureJson('metadefender', 'found.json') as Report;
    (body.scan_results.scan_details.Kaspersky as { scan_result_i: number }).scan_result_i = 42;
    mockService(metadefender).get(path(CONTI)).reply(200, body);
    await expect(lookup(metadefender, sha256(CONTI), { apiKey: KEY })).rejects.toBeInstanceOf(
      BadResponseError,
    );
  });

  it('rejects an answer without scan results', async () => {
    mockService(metadefender)
      .get(path(CONTI))
      .reply(200, { file_info: { sha256: CONTI } });
    await expect(lookup(metadefender, sha256(CONTI), { apiKey: KEY })).rejects.toThrow(/scan_results/);
  });

  it('maps 401 to an auth error without repeating the key', async () => {
    mockService(metadefender)
      .get(path(CONTI))
      .reply(
        401,
        fixture('metadefender', 'invalid-apikey.json').replace('Invalid apikey', `Invalid apikey ${KEY}`),
      );
    const error = await lookup(metadefender, sha256(CONTI), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('maps 429 throttling to rate_limited', async () => {
    mockService(metadefender).get(path(CONTI)).reply(429, fixture('metadefender', 'throttled.json'));
    await expect(lookup(metadefender, sha256(CONTI), { apiKey: KEY })).rejects.toBeInstanceOf(RateLimitError);
  });

  it('links to the results page of the hash', () => {
    expect(metadefender.link(sha256(CONTI))).toBe(`https://metadefender.com/results/hash/${CONTI}`);
  });
});
