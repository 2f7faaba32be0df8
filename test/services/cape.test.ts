import { describe, expect, it } from 'vitest';
import { AuthError, BadResponseError, RateLimitError, UnavailableError } from '../../src/errors.js';
import { cape, categoryOf } from '../../src/services/cape/index.js';
import { fixture, fixtureJson, lookup, md5, mockService, nock, sha256 } from '../http-mock.js';

const KEY = 'test-key-cape-0123456789';
const HASH = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
const SEARCH = `/apiv2/tasks/search/sha256/${HASH}/`;

function view(overrides: Record<string, unknown>) {
  const body = fixtureJson('cape', 'view.json') as { data: Record<string, unknown> };
  return { error: false, data: { ...body.data, ...overrides } };
}

describe('cape', () => {
  it('searches the hash, reads the reported task and maps score and family', async () => {
    mockService(cape)
      .get(SEARCH)
      .matchHeader('authorization', `Token ${KEY}`)
      .reply(200, fixture('cape', 'search.json'))
      .get('/apiv2/tasks/view/112233/')
      .matchHeader('authorization', `Token ${KEY}`)
      .reply(200, fixture('cape', 'view.json'));
    const finding = await lookup(cape, sha256(HASH), { apiKey: KEY });
    expect(finding).toEqual({
      verdict: 'malicious',
      entries: [
        { name: 'task 112233', category: 'malicious', detail: 'malscore 10/10 · AgentTesla · invoice.exe' },
      ],
      summary: 'score 10/10 · family: AgentTesla',
      link: 'https://capesandbox.com/analysis/112233/',
    });
  });

  it('works keyless and by md5', async () => {
    const hash = '44d88612fea8a8f36de82e1278abb02f';
    mockService(cape)
      .get(`/apiv2/tasks/search/md5/${hash}/`)
      .matchHeader('authorization', (value) => value === undefined)
      .reply(200, fixture('cape', 'search.json'))
      .get('/apiv2/tasks/view/112233/')
      .reply(200, view({ malscore: 5.2, detections: null }));
    const finding = await lookup(cape, md5(hash));
    expect(finding?.verdict).toBe('suspicious');
    expect(finding?.entries[0]?.detail).toBe('malscore 5.2/10 · invoice.exe');
  });

  it('reads the newest two reported tasks and keeps the worst', async () => {
    mockService(cape)
      .get(SEARCH)
      .reply(200, {
        error: [],
        data: [
          { id: 1, status: 'reported' },
          { id: 3, status: 'reported' },
          { id: 2, status: 'reported' },
          { id: 4, status: 'failed_analysis' },
        ],
      })
      .get('/apiv2/tasks/view/3/')
      .reply(200, view({ id: 3, malscore: 1.5, detections: [], target: 'a.exe' }))
      .get('/apiv2/tasks/view/2/')
      .reply(200, view({ id: 2, malscore: 8.1, detections: 'Emotet', target: 'b.exe' }));
    const finding = await lookup(cape, sha256(HASH));
    expect(finding?.verdict).toBe('malicious');
    expect(finding?.link).toBe('https://capesandbox.com/analysis/2/');
    expect(finding?.entries).toEqual([
      { name: 'task 3', category: 'clean', detail: 'malscore 1.5/10 · a.exe' },
      { name: 'task 2', category: 'malicious', detail: 'malscore 8.1/10 · Emotet · b.exe' },
    ]);
  });

  it('maps malscore by CAPE thresholds', () => {
    expect(categoryOf(7, [])).toBe('malicious');
    expect(categoryOf(6.9, [])).toBe('suspicious');
    expect(categoryOf(4, [])).toBe('suspicious');
    expect(categoryOf(3.9, [])).toBe('clean');
    expect(categoryOf(0, [])).toBe('undetected');
    expect(categoryOf(null, [])).toBe('undetected');
    expect(categoryOf(0, ['Lumma'])).toBe('malicious');
  });

  it('returns null when no task matches', async () => {
    mockService(cape).get(SEARCH).reply(200, fixture('cape', 'search-empty.json'));
    await expect(lookup(cape, sha256(HASH))).resolves.toBeNull();
  });

  it('returns null while the only tasks are still pending', async () => {
    mockService(cape)
      .get(SEARCH)
      .reply(200, { error: [], data: [{ id: 9, status: 'pending' }] });
    await expect(lookup(cape, sha256(HASH))).resolves.toBeNull();
  });

  it('rejects a malscore that is not a 0-10 number (schema drift)', async () => {
    mockService(cape)
      .get(SEARCH)
      .reply(200, fixture('cape', 'search.json'))
      .get('/apiv2/tasks/view/112233/')
      .reply(200, view({ malscore: 'high' }));
    await expect(lookup(cape, sha256(HASH))).rejects.toBeInstanceOf(BadResponseError);
  });

  it('maps a disabled search endpoint (HTTP 200, error: true) to UnavailableError', async () => {
    mockService(cape).get(SEARCH).reply(200, fixture('cape', 'search-disabled.json'));
    const error = await lookup(cape, sha256(HASH)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toBe('CAPE: Task Search API is Disabled');
  });

  it('maps 401 to AuthError without the token in the message', async () => {
    mockService(cape)
      .get(SEARCH)
      .reply(401, { detail: `Invalid token ${KEY}.` });
    const error = await lookup(cape, sha256(HASH), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('maps a DRF throttle (429) to RateLimitError', async () => {
    mockService(cape)
      .get(SEARCH)
      .reply(
        429,
        { detail: 'Request was throttled. Expected available in 40 seconds.' },
        { 'retry-after': '40' },
      );
    await expect(lookup(cape, sha256(HASH))).rejects.toBeInstanceOf(RateLimitError);
  });

  it('talks to a self-hosted instance under its path prefix', async () => {
    nock('http://cape.example.net').get(`/cape${SEARCH}`).reply(200, fixture('cape', 'search-empty.json'));
    await expect(lookup(cape, sha256(HASH), { baseUrl: 'http://cape.example.net/cape' })).resolves.toBeNull();
  });

  it('links a self-hosted analysis to that instance, not the public one', async () => {
    nock('http://cape.example.net')
      .get(`/cape${SEARCH}`)
      .reply(200, fixture('cape', 'search.json'))
      .get(/\/cape\/apiv2\/tasks\/view\/\d+\//)
      .reply(200, fixture('cape', 'view.json'));
    const finding = await lookup(cape, sha256(HASH), { baseUrl: 'http://cape.example.net/cape/' });
    expect(finding?.link).toBe('http://cape.example.net/cape/analysis/112233/');
  });

  it('links a hash to the CAPE search page', () => {
    expect(cape.link(sha256(HASH))).toBe(`https://capesandbox.com/analysis/search/${HASH}/`);
  });
});
