import { describe, expect, it } from 'vitest';
import { AuthError, BadResponseError, RateLimitError } from '../../src/errors.js';
import { unpacme } from '../../src/services/unpacme/index.js';
import { fixture, fixtureJson, lookup, mockService, sha256 } from '../http-mock.js';

const KEY = 'test-key-unpacme-0123456';
const HASH = '3dfbec388b15267cbed80e5287f674b5047bd57c74e292beae4ccf8905441a51';
const PARENT = '9d4b3b956471d7e851215b47b39e378f9ef22365de1ff9a12e4376994a4cbcc6';

function mockSearch(hash = HASH) {
  return mockService(unpacme)
    .post('/api/v1/private/search/term/sha256', { value: hash, repo_type: 'malware' })
    .matchHeader('authorization', `Key ${KEY}`);
}

async function failure(options: { apiKey: string; timeoutMs?: number } = { apiKey: KEY }): Promise<Error> {
  const result = await lookup(unpacme, sha256(HASH), options).catch((e: unknown) => e as Error);
  if (!(result instanceof Error)) throw new Error('expected the lookup to fail');
  return result;
}

describe('unpacme', () => {
  it('maps a MALICIOUS classification with a family to malicious', async () => {
    mockSearch().reply(200, fixture('unpacme', 'found.json'));
    const finding = await lookup(unpacme, sha256(HASH), { apiKey: KEY });
    expect(finding).toEqual({
      verdict: 'malicious',
      entries: [
        {
          name: 'analysis 6f7115ff-bba6-4576-9306-1e20172eaf32',
          category: 'malicious',
          detail: 'family: Stealc · win_stealc_auto · Infostealer',
        },
      ],
      summary: 'family: Stealc',
      link: `https://www.unpac.me/results/6f7115ff-bba6-4576-9306-1e20172eaf32?hash=${HASH}`,
    });
  });

  it('reads a sample with no family nor classification as undetected', async () => {
    mockSearch(PARENT).reply(200, fixture('unpacme', 'unclassified.json'));
    const finding = await lookup(unpacme, sha256(PARENT), { apiKey: KEY });
    expect(finding?.verdict).toBe('undetected');
    expect(finding?.entries).toEqual([
      { name: 'analysis 0b6a8a52-3c1e-4f5e-9a0d-2f1c7e9b4d10', category: 'undetected', detail: 'Inno Setup' },
    ]);
    expect(finding?.summary).toBe('in the malware corpus, no family');
  });

  it('says so when the match is the sample the hash was unpacked from', async () => {
    const body = fixtureJson('unpacme', 'found.json') as { results: Record<string, unknown>[] };
    mockSearch().reply(200, { results: [{ ...body.results[0], sha256: PARENT }] });
    const finding = await lookup(unpacme, sha256(HASH), { apiKey: KEY });
    expect(finding?.entries[0]?.detail).toBe(
      `family: Stealc · win_stealc_auto · Infostealer · unpacked from ${PARENT}`,
    );
    expect(finding?.link).toBe(
      `https://www.unpac.me/results/6f7115ff-bba6-4576-9306-1e20172eaf32?hash=${PARENT}`,
    );
  });

  it('returns null on the 404 "no results" answer', async () => {
    mockSearch().reply(404, fixture('unpacme', 'not-found.json'));
    await expect(lookup(unpacme, sha256(HASH), { apiKey: KEY })).resolves.toBeNull();
  });

  it('returns null on an empty result list', async () => {
    mockSearch().reply(200, { result_count: 0, results: [] });
    await expect(lookup(unpacme, sha256(HASH), { apiKey: KEY })).resolves.toBeNull();
  });

  it('rejects results without Malware ID labels (schema drift)', async () => {
    mockSearch().reply(200, { results: [{ sha256: HASH, analysis: [] }] });
    await expect(failure()).resolves.toBeInstanceOf(BadResponseError);
  });

  it('maps 401 to AuthError without the key in the message', async () => {
    mockSearch().reply(401, { error: 'unauthorized', description: `Invalid key ${KEY}` });
    const error = await failure();
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).not.toContain(KEY);
  });

  it('maps 429 (spent quota) to RateLimitError', async () => {
    mockSearch().reply(429, { error: 'quota_exceeded', description: 'Monthly quota exceeded' });
    await expect(failure()).resolves.toBeInstanceOf(RateLimitError);
  });

  it('links a hash to the UnpacMe search', () => {
    const terms = Buffer.from(`sha256:"${HASH}"`).toString('base64');
    expect(unpacme.link(sha256(HASH))).toBe(`https://www.unpac.me/search?terms=${encodeURIComponent(terms)}`);
  });
});
