import { describe, expect, it } from 'vitest';
import { AuthError, BadResponseError } from '../../src/errors.js';
import { CATEGORY, filescan } from '../../src/services/filescan/index.js';
import { VERDICTS } from '../../src/services/filescan/schema.js';
import { fixture, fixtureJson, lookup, md5, mockService, sha256 } from '../http-mock.js';

const KEY = 'test-key-filescan-0123';
const HASH = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';

function mockReputation(query: Record<string, string> = { sha256: HASH }) {
  return mockService(filescan).get('/api/reputation/hash').query(query);
}

describe('filescan', () => {
  it("maps OPSWAT's published EICAR answer: 10 malicious reports and MetaDefender Cloud 25/32", async () => {
    mockReputation().reply(200, fixture('filescan', 'found-real.json'));
    const finding = await lookup(filescan, sha256(HASH), { apiKey: KEY });
    expect(finding?.verdict).toBe('malicious');
    expect(finding?.summary).toBe('overall verdict: malicious');
    expect(finding?.entries).toHaveLength(11);
    expect(finding?.entries[0]).toEqual({
      name: 'report 211baaf5-801a-4279-88f5-7958e130d7db',
      category: 'malicious',
      detail: 'malicious · 12/31/2022, 01:15:32',
    });
    expect(finding?.entries.at(-1)).toEqual({
      name: 'MetaDefender Cloud',
      category: 'malicious',
      detail: '25/32 engines',
    });
    expect(finding?.entries.every((e) => e.category === 'malicious')).toBe(true);
  });

  it('maps a reputation answer to the overall verdict plus one row per report and AV scan', async () => {
    mockReputation().matchHeader('x-api-key', KEY).reply(200, fixture('filescan', 'found.json'));
    const finding = await lookup(filescan, sha256(HASH), { apiKey: KEY });
    expect(finding).toEqual({
      verdict: 'malicious',
      entries: [
        {
          name: 'report 2d8e6b2e-6f2c-4c1f-9c7a-0a8e1f5b9d11',
          category: 'malicious',
          detail: 'likely_malicious · 2024-03-02T09:15:40',
        },
        {
          name: 'report 7c1d0e8a-41d9-4b1e-8f63-5b2a3c9e6f00',
          category: 'suspicious',
          detail: 'suspicious · 2023-11-20T17:02:03',
        },
        { name: 'MetaDefender Cloud', category: 'malicious', detail: '18/21 engines' },
      ],
      summary: 'overall verdict: likely_malicious',
    });
  });

  it('asks by md5 with the md5 parameter and works without a key', async () => {
    mockReputation({ md5: '44d88612fea8a8f36de82e1278abb02f' })
      .matchHeader('x-api-key', (value) => value === undefined)
      .reply(200, fixture('filescan', 'found.json'));
    const finding = await lookup(filescan, md5('44d88612fea8a8f36de82e1278abb02f'));
    expect(finding?.verdict).toBe('malicious');
  });

  it('maps every documented verdict value', () => {
    expect(Object.keys(CATEGORY).sort()).toEqual([...VERDICTS].sort());
    expect(CATEGORY.benign).toBe('clean');
    expect(CATEGORY.no_threat).toBe('clean');
    expect(CATEGORY.informational).toBe('undetected');
  });

  it('reads verdicts case-insensitively', async () => {
    const body = fixtureJson('filescan', 'found.json') as Record<string, unknown>;
    mockReputation().reply(200, { ...body, overall_verdict: 'No_Threat', filescan_reports: [] });
    const finding = await lookup(filescan, sha256(HASH), { apiKey: KEY });
    expect(finding?.verdict).toBe('clean');
  });

  it('returns null for an unknown hash (200 + unknown, nothing behind it)', async () => {
    mockReputation().reply(200, fixture('filescan', 'not-found.json'));
    await expect(lookup(filescan, sha256(HASH), { apiKey: KEY })).resolves.toBeNull();
  });

  it('returns null on 404', async () => {
    mockReputation().reply(404, { detail: 'Not Found' });
    await expect(lookup(filescan, sha256(HASH), { apiKey: KEY })).resolves.toBeNull();
  });

  it('rejects an undocumented verdict value (schema drift)', async () => {
    const body = fixtureJson('filescan', 'found.json') as Record<string, unknown>;
    mockReputation().reply(200, { ...body, overall_verdict: 'probably_fine' });
    await expect(lookup(filescan, sha256(HASH), { apiKey: KEY })).rejects.toBeInstanceOf(BadResponseError);
  });

  it('maps 401 to AuthError and never repeats the key', async () => {
    mockReputation().reply(401, { detail: `Invalid API key ${KEY}` });
    const error = await lookup(filescan, sha256(HASH), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('links a hash to its search page', () => {
    expect(filescan.link(sha256(HASH))).toBe(`https://www.filescan.io/search-result?query=${HASH}`);
  });
});
