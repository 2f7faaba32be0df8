import { describe, expect, it } from 'vitest';
import { AuthError, BadResponseError } from '../../src/errors.js';
import { hybridanalysis } from '../../src/services/hybridanalysis/index.js';
import { fixture, fixtureJson, lookup, md5, mockService, sha256 } from '../http-mock.js';

const KEY = 'test-key-hybridanalysis-0123456789';
const SAMPLE = '4c740b7f0bdc728daf9fca05241e85d921a54a6e17ae47ed1577a2b30792cf5c';
const EICAR = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
const EICAR_MD5 = '44d88612fea8a8f36de82e1278abb02f';
const SHA = 'd'.repeat(64);
const search = (hash: string) => mockService(hybridanalysis).get('/api/v2/search/hash').query({ hash });

type Search = { sha256s: string[]; reports: { verdict: string | null }[] };

describe('hybridanalysis', () => {
  it('uses GET /search/hash with the api-key and Falcon Sandbox user agent', async () => {
    search(SAMPLE)
      .matchHeader('api-key', KEY)
      .matchHeader('user-agent', 'Falcon Sandbox')
      .reply(200, fixture('hybridanalysis', 'found.json'));
    await expect(lookup(hybridanalysis, sha256(SAMPLE), { apiKey: KEY })).resolves.toEqual({
      verdict: 'malicious',
      summary: '1/1 report with a verdict',
      entries: [
        {
          name: 'Windows 7 32 bit',
          category: 'malicious',
          detail: 'malicious · report 6231490aa298763373515933',
        },
      ],
    });
  });

  it('leaves out failed runs and links to the SHA-256 when asked by MD5', async () => {
    search(EICAR_MD5).reply(200, fixture('hybridanalysis', 'found-eicar.json'));
    await expect(lookup(hybridanalysis, md5(EICAR_MD5), { apiKey: KEY })).resolves.toEqual({
      verdict: 'malicious',
      summary: '1/20 reports with a verdict',
      link: `https://www.hybrid-analysis.com/sample/${EICAR}`,
      entries: [
        {
          name: 'Windows 7 32 bit (HWP Support)',
          category: 'malicious',
          detail: 'malicious · report 68470cc2ceaa89dff3029aa4',
        },
      ],
    });
  });

  it('maps whitelisted, no specific threat and no verdict, and takes the worst report', async () => {
    const body = fixtureJson('hybridanalysis', 'found-eicar.json') as Search;
    const verdicts = ['whitelisted', 'no specific threat', 'no verdict', 'suspicious'];
    verdicts.forEach((verdict, i) => {
      (body.reports[i] as { verdict: string | null }).verdict = verdict;
    });
    (body.reports[18] as { verdict: string | null }).verdict = null;
    search(EICAR).reply(200, body);
    const finding = await lookup(hybridanalysis, sha256(EICAR), { apiKey: KEY });
    expect(finding?.verdict).toBe('suspicious');
    expect(finding?.entries.map((e) => e.category)).toEqual(['clean', 'undetected', 'suspicious']);
  });

  it('reads a known hash whose runs all failed as undetected', async () => {
    const body = fixtureJson('hybridanalysis', 'found-eicar.json') as Search;
    (body.reports[18] as { verdict: string | null }).verdict = null;
    search(EICAR).reply(200, body);
    await expect(lookup(hybridanalysis, sha256(EICAR), { apiKey: KEY })).resolves.toEqual({
      verdict: 'undetected',
      summary: '0/20 reports with a verdict',
      entries: [],
    });
  });

  it('returns null when the hash resolves to nothing', async () => {
    search(SHA).reply(200, fixture('hybridanalysis', 'not-found.json'));
    await expect(lookup(hybridanalysis, sha256(SHA), { apiKey: KEY })).resolves.toBeNull();
  });

  it('rejects an unknown verdict instead of dropping it', async () => {
    const body = fixtureJson('hybridanalysis', 'found.json') as Search;
    (body.reports[0] as { verdict: string }).verdict = 'harmful';
    search(SAMPLE).reply(200, body);
    await expect(lookup(hybridanalysis, sha256(SAMPLE), { apiKey: KEY })).rejects.toBeInstanceOf(
      BadResponseError,
    );
  });

  it('rejects the old POST-style answer (a bare list of summaries)', async () => {
    search(SAMPLE).reply(200, [{ sha256: SAMPLE, verdict: 'malicious', threat_score: 100 }]);
    await expect(lookup(hybridanalysis, sha256(SAMPLE), { apiKey: KEY })).rejects.toBeInstanceOf(
      BadResponseError,
    );
  });

  it('maps 401 to an auth error without repeating the key', async () => {
    search(SAMPLE).reply(401, { message: `Failed to authenticate with api-key ${KEY}` });
    const error = await lookup(hybridanalysis, sha256(SAMPLE), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('links to the sample page', () => {
    expect(hybridanalysis.link(sha256(SAMPLE))).toBe(`https://www.hybrid-analysis.com/sample/${SAMPLE}`);
  });
});
