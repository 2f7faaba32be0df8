import { describe, expect, it } from 'vitest';
import { AuthError, BadResponseError, RateLimitError } from '../../src/errors.js';
import { opentip } from '../../src/services/opentip/index.js';
import { fixture, fixtureJson, lookup, md5, mockService, sha256 } from '../http-mock.js';

const KEY = 'test-key-opentip-0123456789';
const HASH = '2539170c4c1ffeeb17e87917687b5f86104cc88de9478696cee6e0ecaddfc9bb';

function mockLookup(hash = HASH) {
  return mockService(opentip)
    .get('/api/v1/search/hash')
    .query({ request: hash })
    .matchHeader('x-api-key', KEY);
}

const found = fixtureJson('opentip', 'found.json') as Record<string, unknown>;

describe('opentip', () => {
  it('maps a Yellow answer to suspicious with one row per Kaspersky detection', async () => {
    mockLookup().reply(200, fixture('opentip', 'found.json'));
    const finding = await lookup(opentip, sha256(HASH), { apiKey: KEY });
    expect(finding).toEqual({
      verdict: 'suspicious',
      entries: [
        { name: 'HEUR:HackTool.Linux.Gsnetcat.a', category: 'malicious', detail: 'HEUR' },
        { name: 'HEUR:HackTool.Linux.Gsnetcat.b', category: 'malicious', detail: 'HEUR' },
        { name: 'HEUR:HackTool.Linux.Gsnetcat.c', category: 'malicious', detail: 'HEUR' },
        { name: 'not-a-virus:HEUR:RiskTool.Linux.Gsnetcat.a', category: 'suspicious', detail: 'HEUR' },
      ],
      summary: 'zone Yellow · Adware · 4 detections',
    });
  });

  it.each([
    ['Red', 'malicious'],
    ['Orange', 'suspicious'],
    ['Green', 'clean'],
    ['Grey', 'undetected'],
  ] as const)('maps zone %s to %s', async (zone, category) => {
    mockLookup().reply(200, { ...found, Zone: zone });
    const finding = await lookup(opentip, sha256(HASH), { apiKey: KEY });
    expect(finding?.verdict).toBe(category);
  });

  it('gives one zone row when there are no detections', async () => {
    mockLookup().reply(200, { Zone: 'Green', FileGeneralInfo: { FileStatus: 'No threats detected' } });
    const finding = await lookup(opentip, sha256(HASH), { apiKey: KEY });
    expect(finding).toEqual({
      verdict: 'clean',
      entries: [{ name: 'Kaspersky OpenTIP', category: 'clean', detail: 'Green zone · No threats detected' }],
      summary: 'zone Green · No threats detected',
    });
  });

  it('looks up md5 the same way', async () => {
    mockLookup('3935aae80faf8d03781c2d611a4e183f').reply(200, fixture('opentip', 'found.json'));
    const finding = await lookup(opentip, md5('3935aae80faf8d03781c2d611a4e183f'), { apiKey: KEY });
    expect(finding?.entries).toHaveLength(4);
  });

  it('returns null for 404', async () => {
    mockLookup().reply(404);
    await expect(lookup(opentip, sha256(HASH), { apiKey: KEY })).resolves.toBeNull();
  });

  it('returns null for a Grey zone with no file information', async () => {
    mockLookup().reply(200, { Zone: 'Grey' });
    await expect(lookup(opentip, sha256(HASH), { apiKey: KEY })).resolves.toBeNull();
  });

  it('rejects an unknown zone (schema drift)', async () => {
    mockLookup().reply(200, { ...found, Zone: 'Purple' });
    await expect(lookup(opentip, sha256(HASH), { apiKey: KEY })).rejects.toBeInstanceOf(BadResponseError);
  });

  it('maps 401 to AuthError without the key in the message', async () => {
    mockLookup().reply(401, `token ${KEY} is not valid`);
    const error = await lookup(opentip, sha256(HASH), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('maps 403 (quota) and 429 to RateLimitError', async () => {
    mockLookup().reply(403, 'Forbidden');
    await expect(lookup(opentip, sha256(HASH), { apiKey: KEY })).rejects.toBeInstanceOf(RateLimitError);
    mockLookup().reply(429, 'Too Many Requests');
    await expect(lookup(opentip, sha256(HASH), { apiKey: KEY })).rejects.toBeInstanceOf(RateLimitError);
  });

  it('links a hash to its OpenTIP page', () => {
    expect(opentip.link(sha256(HASH))).toBe(`https://opentip.kaspersky.com/${HASH}/`);
  });
});
