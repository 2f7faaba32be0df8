import { describe, expect, it } from 'vitest';
import { AuthError, BadResponseError, RateLimitError } from '../../src/errors.js';
import { virustotal } from '../../src/services/virustotal/index.js';
import { fixture, fixtureJson, lookup, md5, mockService, sha256 } from '../http-mock.js';

const KEY = 'test-key-virustotal-0123456789';
// The MS Word macro virus (W97M/Hill) recorded in fixtures/virustotal/found.json.
const HILL = '001015aafcae8a6942366cbb0e7d39c0738752a7800c41ea1c655d47b0a4d04c';
// A clean Win32 tool recorded in fixtures/virustotal/found-undetected.json.
const ACLOCK = 'ddecc35aa198f401948c73a0d53fd93c4ecb770198ad7db308de026745c56b71';
const MISSING = 'fffdddd2c3dc06d147c5ddddddd5c7e6acda4d1f1369fbc994cddd3c19a2de88';
const path = (hash: string) => `/api/v3/files/${hash}`;

describe('virustotal', () => {
  it('turns each engine that scanned into a row, sending the x-apikey header', async () => {
    mockService(virustotal)
      .get(path(HILL))
      .matchHeader('x-apikey', KEY)
      .reply(200, fixture('virustotal', 'found.json'));
    const finding = await lookup(virustotal, sha256(HILL), { apiKey: KEY });
    // 75 engines answered; 13 could not scan a Word document (type-unsupported) and are left out.
    expect(finding?.entries).toHaveLength(62);
    expect(finding?.entries.filter((e) => e.category === 'malicious')).toHaveLength(53);
    expect(finding?.entries.filter((e) => e.category === 'undetected')).toHaveLength(9);
    expect(finding?.entries).toContainEqual({
      name: 'Microsoft',
      category: 'malicious',
      detail: 'Virus:W97M/Hill.C',
    });
    expect(finding?.entries).toContainEqual({
      name: 'Lionic',
      category: 'malicious',
      detail: 'Virus.MSWord.Hill.n!c',
    });
    expect(finding?.entries).toContainEqual({ name: 'Malwarebytes', category: 'undetected', detail: null });
    expect(finding?.entries.map((e) => e.name)).not.toContain('CrowdStrike');
    expect(finding?.verdict).toBeUndefined();
    expect(finding?.summary).toBe('label: virus.hill/w97m');
    expect(finding?.link).toBeUndefined();
  });

  it('leaves out engines that failed and keeps the default summary without a label', async () => {
    mockService(virustotal).get(path(ACLOCK)).reply(200, fixture('virustotal', 'found-undetected.json'));
    const finding = await lookup(virustotal, sha256(ACLOCK), { apiKey: KEY });
    // 76 results: 70 undetected, 5 type-unsupported, 1 failure.
    expect(finding).toEqual({
      // The vendor's digests of the file: they complete a lookup by MD5 or SHA-1.
      hashes: {
        md5: 'f2aafddb98fa8e3cd71b678a42dd9aab',
        sha1: 'ce8a7e675f0a8c0d45bbd99c49192f7fa5a124d7',
        sha256: 'ddecc35aa198f401948c73a0d53fd93c4ecb770198ad7db308de026745c56b71',
      },
      entries: expect.any(Array),
    });
    expect(finding?.entries).toHaveLength(70);
    expect(new Set(finding?.entries.map((e) => e.category))).toEqual(new Set(['undetected']));
  });

  it("reads VirusTotal's trusted_verdict as an affirmed clean, naming who vouches", async () => {
    const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    mockService(virustotal).get(path(EMPTY)).reply(200, fixture('virustotal', 'found-trusted-goodware.json'));
    const finding = await lookup(virustotal, sha256(EMPTY), { apiKey: KEY });
    expect(finding?.verdict).toBe('clean');
    expect(finding?.summary).toBe(
      'trusted goodware: Microsoft Corporation (InstallationSBSTests.csproj.CopyComplete)',
    );
    // 60 engines saw nothing; the 10 that could not scan the type are left out.
    expect(finding?.entries).toHaveLength(60);
  });

  it('never lets a trusted_verdict outweigh detections', async () => {
    const body = JSON.parse(fixture('virustotal', 'found.json')) as {
      data: { attributes: Record<string, unknown> };
    };
    body.data.attributes.trusted_verdict = { verdict: 'goodware', organization: 'Someone' };
    mockService(virustotal).get(path(ACLOCK)).reply(200, body);
    const finding = await lookup(virustotal, sha256(ACLOCK), { apiKey: KEY });
    expect(finding?.verdict).toBeUndefined();
    expect(finding?.summary).toContain('trusted goodware: Someone');
  });

  it('maps harmless and suspicious engine categories', async () => {
    const body = fixtureJson('virustotal', 'found.json') as {
      data: {
        attributes: { last_analysis_results: Record<string, { category: string; result: string | null }> };
      };
    };
    const results = body.data.attributes.last_analysis_results;
    results.Avast = { category: 'harmless', result: null };
    results.Avira = { category: 'suspicious', result: 'HEUR/Macro' };
    mockService(virustotal).get(path(HILL)).reply(200, body);
    const finding = await lookup(virustotal, sha256(HILL), { apiKey: KEY });
    expect(finding?.entries).toContainEqual({ name: 'Avast', category: 'clean', detail: null });
    expect(finding?.entries).toContainEqual({ name: 'Avira', category: 'suspicious', detail: 'HEUR/Macro' });
    expect(finding?.summary).toBe('label: virus.hill/w97m');
  });

  it('looks MD5 up on the same endpoint', async () => {
    mockService(virustotal)
      .get(path('b214da9f6b0d6e6de5090b3f9672defe'))
      .reply(200, fixture('virustotal', 'found.json'));
    const finding = await lookup(virustotal, md5('b214da9f6b0d6e6de5090b3f9672defe'), { apiKey: KEY });
    expect(finding?.entries).toHaveLength(62);
  });

  it('returns null on NotFoundError', async () => {
    mockService(virustotal).get(path(MISSING)).reply(404, fixture('virustotal', 'not-found.json'));
    await expect(lookup(virustotal, sha256(MISSING), { apiKey: KEY })).resolves.toBeNull();
  });

  it("does not read a 404 that is not VirusTotal's NotFoundError as not found", async () => {
    mockService(virustotal).get(path(MISSING)).reply(404, '<html>Not Found</html>');
    await expect(lookup(virustotal, sha256(MISSING), { apiKey: KEY })).rejects.toBeInstanceOf(
      BadResponseError,
    );
  });

  it('rejects a changed body instead of reading it as clean', async () => {
    const body = fixtureJson('virustotal', 'found.json') as {
      data: { attributes: { last_analysis_results: Record<string, { category: string }> } };
    };
    body.data.attributes.last_analysis_results.Avast = { category: 'detected' };
    mockService(virustotal).get(path(HILL)).reply(200, body);
    await expect(lookup(virustotal, sha256(HILL), { apiKey: KEY })).rejects.toBeInstanceOf(BadResponseError);
  });

  it('rejects a report without engine results', async () => {
    mockService(virustotal)
      .get(path(HILL))
      .reply(200, { data: { attributes: {} } });
    await expect(lookup(virustotal, sha256(HILL), { apiKey: KEY })).rejects.toThrow(/last_analysis_results/);
  });

  it('maps 401 WrongCredentialsError to an auth error without repeating the key', async () => {
    mockService(virustotal)
      .get(path(HILL))
      .reply(401, fixture('virustotal', 'wrong-key.json').replace('Wrong API key', `Wrong API key ${KEY}`));
    const error = await lookup(virustotal, sha256(HILL), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('WrongCredentialsError');
    expect((error as Error).message).not.toContain(KEY);
  });

  it('maps 429 QuotaExceededError to rate_limited', async () => {
    mockService(virustotal).get(path(HILL)).reply(429, fixture('virustotal', 'quota-exceeded.json'));
    await expect(lookup(virustotal, sha256(HILL), { apiKey: KEY })).rejects.toBeInstanceOf(RateLimitError);
  });

  it('links to the GUI page of the hash', () => {
    expect(virustotal.link(sha256(HILL))).toBe(`https://www.virustotal.com/gui/file/${HILL}`);
  });
});
