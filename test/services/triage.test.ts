import { describe, expect, it } from 'vitest';
import { AuthError, BadResponseError, RateLimitError, UnavailableError } from '../../src/errors.js';
import { scoreCategory, triage } from '../../src/services/triage/index.js';
import { fixture, lookup, md5, mockService, sha256 } from '../http-mock.js';

const KEY = 'test-key-triage-0123456789';
const HASH = '05af0cf40590aef24b28fa04c6b4998b7ab3b7f26e60c507adb84f3d837778f2';
const SAMPLE = '201026-n8zz26cd4s';

function mockSearch(query = `sha256:${HASH}`) {
  return mockService(triage)
    .get('/api/v0/search')
    .query({ query })
    .matchHeader('authorization', `Bearer ${KEY}`);
}

function mockSummary(id = SAMPLE) {
  return mockService(triage)
    .get(`/api/v0/samples/${id}/summary`)
    .matchHeader('authorization', `Bearer ${KEY}`);
}

describe('triage', () => {
  it('searches the hash, reads the summary of the reported sample, one row per behavioural task', async () => {
    mockSearch().reply(200, fixture('triage', 'search.json'));
    mockSummary().reply(200, fixture('triage', 'summary.json'));
    const finding = await lookup(triage, sha256(HASH), { apiKey: KEY });
    expect(finding).toEqual({
      verdict: 'malicious',
      entries: [
        {
          name: 'behavioral1 · windows7_x64',
          category: 'malicious',
          detail: 'evasion, trojan, persistence, ransomware',
        },
        {
          name: 'behavioral2 · windows10_x64',
          category: 'malicious',
          detail: 'evasion, trojan, ransomware, persistence',
        },
      ],
      summary: 'score 10/10',
      link: `https://tria.ge/${SAMPLE}`,
    });
  });

  it('prefixes the query with the hash type and names families in the summary', async () => {
    const hash = '44d88612fea8a8f36de82e1278abb02f';
    mockSearch(`md5:${hash}`).reply(200, fixture('triage', 'search.json'));
    const summary = JSON.parse(fixture('triage', 'summary.json'));
    summary.tasks['200606-l5dz9871we-behavioral1'].tags.push('family:emotet');
    mockSummary().reply(200, summary);
    const finding = await lookup(triage, md5(hash), { apiKey: KEY });
    expect(finding?.summary).toBe('score 10/10 · family: emotet');
  });

  it('follows Triage score bands', () => {
    expect([10, 9, 8, 7, 5, 4, 2, 1].map(scoreCategory)).toEqual([
      'malicious',
      'malicious',
      'malicious',
      'suspicious',
      'suspicious',
      'clean',
      'clean',
      'clean',
    ]);
    expect(scoreCategory(undefined)).toBe('undetected');
  });

  it('reports a sample still running as undetected, without a summary request', async () => {
    mockSearch().reply(200, { data: [{ id: SAMPLE, status: 'running' }], next: null });
    const finding = await lookup(triage, sha256(HASH), { apiKey: KEY });
    expect(finding).toEqual({
      verdict: 'undetected',
      entries: [],
      summary: '1 sample, analysis not finished',
      link: `https://tria.ge/${SAMPLE}`,
    });
  });

  it('returns null when the search finds nothing', async () => {
    mockSearch().reply(200, { data: [], next: null });
    await expect(lookup(triage, sha256(HASH), { apiKey: KEY })).resolves.toBeNull();
  });

  it('rejects a score outside 1-10 (schema drift)', async () => {
    mockSearch().reply(200, fixture('triage', 'search.json'));
    mockSummary().reply(200, { ...JSON.parse(fixture('triage', 'summary.json')), score: 'high' });
    await expect(lookup(triage, sha256(HASH), { apiKey: KEY })).rejects.toBeInstanceOf(BadResponseError);
  });

  it('maps 401 to AuthError without the key in the message', async () => {
    mockSearch().reply(401, { error: 'UNAUTHORIZED', message: `bad token ${KEY}` });
    const error = await lookup(triage, sha256(HASH), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('maps 429 to RateLimitError', async () => {
    mockSearch().reply(429, { error: 'RATE_LIMITED' });
    await expect(lookup(triage, sha256(HASH), { apiKey: KEY })).rejects.toBeInstanceOf(RateLimitError);
  });

  it('maps 5xx to UnavailableError', async () => {
    mockSearch().reply(200, fixture('triage', 'search.json'));
    mockSummary().reply(500, 'internal');
    await expect(lookup(triage, sha256(HASH), { apiKey: KEY })).rejects.toBeInstanceOf(UnavailableError);
  });

  it('links a hash to a Triage search', () => {
    expect(triage.link(sha256(HASH))).toBe(`https://tria.ge/s?q=${HASH}`);
  });
});
