import { describe, expect, it } from 'vitest';
import { AuthError, BadResponseError, RateLimitError, UnavailableError } from '../../src/errors.js';
import { polyswarm } from '../../src/services/polyswarm/index.js';
import { fixture, fixtureJson, lookup, md5, mockService, sha256 } from '../http-mock.js';

const KEY = 'test-key-polyswarm-0123456789';
// EICAR, as recorded in fixtures/polyswarm/found.json.
const EICAR = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
const EICAR_MD5 = '44d88612fea8a8f36de82e1278abb02f';
const MISSING = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0a';
const search = (type: string, hash: string) => ({
  path: `/v3/search/hash/${type}`,
  query: { hash, community: 'default' },
});

interface Assertion {
  author_name: string;
  engine: { name: string };
  mask: boolean;
  verdict: boolean | null;
  metadata: unknown;
}
const foundBody = () => fixtureJson('polyswarm', 'found.json') as { result: { assertions: Assertion[] }[] };
const engine = (
  name: string,
  mask: boolean,
  verdict: boolean | null,
  metadata: unknown = null,
): Assertion => ({
  author_name: name,
  engine: { name },
  mask,
  verdict,
  metadata,
});

function mockSearch(type: string, hash: string) {
  const { path, query } = search(type, hash);
  return mockService(polyswarm).get(path).query(query);
}

describe('polyswarm', () => {
  it('turns the recorded EICAR answer into one malicious engine row, sending the raw key', async () => {
    mockSearch('sha256', EICAR)
      .matchHeader('authorization', KEY)
      .reply(200, fixture('polyswarm', 'found.json'), { 'content-type': 'application/json' });
    expect(await lookup(polyswarm, sha256(EICAR), { apiKey: KEY })).toEqual({
      entries: [{ name: 'engine-eicar', category: 'malicious', detail: 'EICAR' }],
      summary: 'polyscore 0.23',
    });
  });

  it('maps benign assertions to clean and leaves out engines that did not assert', async () => {
    const body = foundBody();
    const first = body.result[0];
    if (!first) throw new Error('fixture has no instance');
    first.assertions.push(
      engine('ClamAV', true, false),
      engine('Abstainer', false, false),
      engine('Silent', true, null),
      engine('StringMeta', true, true, 'not an object'),
    );
    mockSearch('sha256', EICAR).reply(200, body);
    const finding = await lookup(polyswarm, sha256(EICAR), { apiKey: KEY });
    expect(finding?.entries).toEqual([
      { name: 'engine-eicar', category: 'malicious', detail: 'EICAR' },
      { name: 'ClamAV', category: 'clean', detail: null },
      { name: 'StringMeta', category: 'malicious', detail: null },
    ]);
    expect(finding?.verdict).toBeUndefined();
  });

  it('adds the polyunite family to the summary', async () => {
    const body = foundBody() as unknown as { result: { metadata: unknown[] }[] };
    body.result[0]?.metadata.unshift({ tool: 'polyunite', tool_metadata: { malware_family: 'Eicar' } });
    mockSearch('sha256', EICAR).reply(200, body);
    const finding = await lookup(polyswarm, sha256(EICAR), { apiKey: KEY });
    expect(finding?.summary).toBe('polyscore 0.23 · family: Eicar');
  });

  it('searches MD5 on its own path and links to the SHA-256 page', async () => {
    mockSearch('md5', EICAR_MD5).reply(200, fixture('polyswarm', 'found.json'));
    const finding = await lookup(polyswarm, md5(EICAR_MD5), { apiKey: KEY });
    expect(finding?.entries).toHaveLength(1);
    expect(finding?.link).toBe(`https://polyswarm.network/scan/results/file/${EICAR}`);
  });

  it('returns null on 204 No Content (as recorded) and on an empty result', async () => {
    mockSearch('sha256', MISSING).reply(204, '');
    await expect(lookup(polyswarm, sha256(MISSING), { apiKey: KEY })).resolves.toBeNull();
    mockSearch('sha256', MISSING).reply(200, { has_more: false, limit: 2, result: [], status: 'OK' });
    await expect(lookup(polyswarm, sha256(MISSING), { apiKey: KEY })).resolves.toBeNull();
  });

  it('does not read a 404 as not found', async () => {
    mockSearch('sha256', MISSING).reply(404, '<html>Not Found</html>');
    await expect(lookup(polyswarm, sha256(MISSING), { apiKey: KEY })).rejects.toBeInstanceOf(
      BadResponseError,
    );
  });

  it('rejects a changed assertion instead of reading it as clean', async () => {
    const body = foundBody();
    const assertion = body.result[0]?.assertions[0] as unknown as Record<string, unknown>;
    assertion.verdict = 'malicious';
    mockSearch('sha256', EICAR).reply(200, body);
    await expect(lookup(polyswarm, sha256(EICAR), { apiKey: KEY })).rejects.toBeInstanceOf(BadResponseError);
  });

  it('rejects an instance without assertions', async () => {
    mockSearch('sha256', EICAR).reply(200, { result: [{ sha256: EICAR }], status: 'OK' });
    await expect(lookup(polyswarm, sha256(EICAR), { apiKey: KEY })).rejects.toThrow(/assertions/);
  });

  it.each([
    [401, AuthError],
    [403, AuthError],
    [429, RateLimitError],
    [500, UnavailableError],
    [503, UnavailableError],
  ])('maps HTTP %i without repeating the key', async (status, errorClass) => {
    mockSearch('sha256', EICAR).reply(status, { result: `key ${KEY} refused`, status: 'error' });
    const error = await lookup(polyswarm, sha256(EICAR), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).message).toContain('refused');
    expect((error as Error).message).not.toContain(KEY);
  });

  it('links to the scan results page of the hash', () => {
    expect(polyswarm.link(sha256(EICAR))).toBe(`https://polyswarm.network/scan/results/file/${EICAR}`);
  });
});
