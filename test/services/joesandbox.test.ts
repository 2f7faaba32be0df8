import { describe, expect, it } from 'vitest';
import { AuthError, BadResponseError, RateLimitError } from '../../src/errors.js';
import { joesandbox } from '../../src/services/joesandbox/index.js';
import { fixture, fixtureJson, lookup, mockService, nock, sha256 } from '../http-mock.js';

const KEY = 'test-key-joesandbox-0123';
const HASH = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';

const searchForm = { apikey: KEY, 'accept-tac': '1', q: HASH };
const infoForm = (webid: string) => ({ apikey: KEY, 'accept-tac': '1', webid });

function mockSearch() {
  return mockService(joesandbox).post('/api/v2/analysis/search', searchForm);
}

function info(overrides: Record<string, unknown>) {
  const body = fixtureJson('joesandbox', 'info.json') as { data: Record<string, unknown> };
  return { data: { ...body.data, ...overrides } };
}

async function failure(options: { apiKey: string; timeoutMs?: number } = { apiKey: KEY }): Promise<Error> {
  const result = await lookup(joesandbox, sha256(HASH), options).catch((e: unknown) => e as Error);
  if (!(result instanceof Error)) throw new Error('expected the lookup to fail');
  return result;
}

describe('joesandbox', () => {
  it('searches by hash, reads the analysis and maps its detection', async () => {
    mockSearch().reply(200, fixture('joesandbox', 'search.json'));
    mockService(joesandbox)
      .post('/api/v2/analysis/info', infoForm('100'))
      .reply(200, fixture('joesandbox', 'info.json'));
    const finding = await lookup(joesandbox, sha256(HASH), { apiKey: KEY });
    expect(finding).toEqual({
      verdict: 'malicious',
      entries: [{ name: '100 · sample.exe', category: 'malicious', detail: 'malicious · score 42' }],
      summary: 'score 42',
      link: 'https://jbxcloud.joesecurity.org/analysis/100/0/html',
    });
  });

  it('reads the newest three analyses and keeps the worst as verdict and link', async () => {
    mockSearch().reply(200, { data: [{ webid: '7' }, { webid: '12' }, { webid: '9' }, { webid: '3' }] });
    const scope = mockService(joesandbox);
    scope
      .post('/api/v2/analysis/info', infoForm('12'))
      .reply(200, info({ webid: '12', detection: 'clean', score: 5 }));
    scope
      .post('/api/v2/analysis/info', infoForm('9'))
      .reply(200, info({ webid: '9', detection: 'suspicious', score: 40, threatname: 'AgentTesla' }));
    scope.post('/api/v2/analysis/info', infoForm('7')).reply(200, info({ webid: '7', detection: 'unknown' }));
    const finding = await lookup(joesandbox, sha256(HASH), { apiKey: KEY });
    expect(finding?.verdict).toBe('suspicious');
    expect(finding?.link).toBe('https://jbxcloud.joesecurity.org/analysis/9/0/html');
    expect(finding?.entries.map((e) => [e.name, e.category, e.detail])).toEqual([
      ['12 · sample.exe', 'clean', 'clean · score 5'],
      ['9 · sample.exe', 'suspicious', 'suspicious · score 40 · AgentTesla'],
      ['7 · sample.exe', 'undetected', 'unknown · score 42'],
    ]);
  });

  it('returns null when no analysis matches', async () => {
    mockSearch().reply(200, fixture('joesandbox', 'search-empty.json'));
    await expect(lookup(joesandbox, sha256(HASH), { apiKey: KEY })).resolves.toBeNull();
  });

  it('returns null while the only analysis is still running', async () => {
    mockSearch().reply(200, fixture('joesandbox', 'search.json'));
    mockService(joesandbox)
      .post('/api/v2/analysis/info', infoForm('100'))
      .reply(200, info({ status: 'running', detection: null }));
    await expect(lookup(joesandbox, sha256(HASH), { apiKey: KEY })).resolves.toBeNull();
  });

  it('rejects an undocumented detection value (schema drift)', async () => {
    mockSearch().reply(200, fixture('joesandbox', 'search.json'));
    mockService(joesandbox)
      .post('/api/v2/analysis/info', infoForm('100'))
      .reply(200, info({ detection: 'bad' }));
    await expect(lookup(joesandbox, sha256(HASH), { apiKey: KEY })).rejects.toBeInstanceOf(BadResponseError);
  });

  it('maps the in-body invalid-key error to AuthError without the key', async () => {
    mockSearch().reply(403, fixture('joesandbox', 'error-invalid-key.json'));
    const error = await failure();
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe('Joe Sandbox: Invalid API key.');
  });

  it('scrubs a key the vendor echoes in an error', async () => {
    mockSearch().reply(400, { errors: [{ code: 4, message: `Missing API key (got ${KEY})` }] });
    const error = await failure();
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).not.toContain(KEY);
  });

  it('maps an in-body quota error, even under 200, to RateLimitError', async () => {
    mockSearch().reply(200, fixture('joesandbox', 'error-quota.json'));
    await expect(failure()).resolves.toBeInstanceOf(RateLimitError);
  });

  it('maps another in-body error to BadResponseError', async () => {
    mockSearch().reply(400, { errors: [{ code: 3, message: 'Invalid parameter q.' }] });
    await expect(failure()).resolves.toBeInstanceOf(BadResponseError);
  });

  it('maps a bare 403 to AuthError', async () => {
    mockSearch().reply(403, `<html>forbidden ${KEY}</html>`);
    const error = await failure();
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).not.toContain(KEY);
  });

  it('talks to an on-premise server under its path prefix', async () => {
    nock('https://joe.example.net')
      .post('/joe/api/v2/analysis/search', searchForm)
      .reply(200, fixture('joesandbox', 'search-empty.json'));
    await expect(
      lookup(joesandbox, sha256(HASH), { apiKey: KEY, baseUrl: 'https://joe.example.net/joe' }),
    ).resolves.toBeNull();
  });

  it('links an on-premise analysis to that server, not to the cloud', async () => {
    const scope = nock('https://joe.example.net');
    scope.post('/joe/api/v2/analysis/search', searchForm).reply(200, fixture('joesandbox', 'search.json'));
    scope.post('/joe/api/v2/analysis/info', infoForm('100')).reply(200, fixture('joesandbox', 'info.json'));
    const finding = await lookup(joesandbox, sha256(HASH), {
      apiKey: KEY,
      baseUrl: 'https://joe.example.net/joe/',
    });
    expect(finding?.link).toBe('https://joe.example.net/joe/analysis/100/0/html');
  });

  it('links a hash to the search page', () => {
    expect(joesandbox.link(sha256(HASH))).toBe(`https://www.joesandbox.com/search?q=${HASH}`);
  });
});
