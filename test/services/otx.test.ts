import { describe, expect, it } from 'vitest';
import { AuthError, BadResponseError } from '../../src/errors.js';
import { otx } from '../../src/services/otx/index.js';
import { fixture, lookup, md5, mockService, sha256 } from '../http-mock.js';

const KEY = 'test-key-otx-0123456789';
const GREENBUG = 'f5ef3b060fb476253f9a7638f82940d9';
const SHA = 'a'.repeat(64);
const path = (hash: string) => `/api/v1/indicators/file/${hash}/general`;

describe('otx', () => {
  it('reads pulses without a malware family as suspicious (real answer)', async () => {
    mockService(otx)
      .get(path(GREENBUG))
      .matchHeader('x-otx-api-key', KEY)
      .reply(200, fixture('otx', 'found-no-family.json'));
    await expect(lookup(otx, md5(GREENBUG), { apiKey: KEY })).resolves.toEqual({
      verdict: 'suspicious',
      summary: '2 pulses',
      entries: [
        {
          name: 'Iranian Threat Agent Greenbug Impersonates Israeli High-Tech and Cyber Security Companies',
          category: 'suspicious',
          detail: 'greenbug, iran, israel',
        },
        {
          name: '#ISMDoor impersonates ZAHRANI (an electrical equipment and engineering company in Saudi Arabia) and ThetaRay.',
          category: 'suspicious',
          detail: 'ISMDoor, malware, ZAHRANI, eyalsela, ThetaRay',
        },
      ],
    });
  });

  it('reads a current (2025) recorded answer: one pulse, empty malware_families → suspicious', async () => {
    const hash = '1fd35d9dc2eb919088f4eb48ab18b5a8';
    mockService(otx).get(path(hash)).reply(200, fixture('otx', 'found-no-family-2025.json'));
    await expect(lookup(otx, md5(hash), { apiKey: KEY })).resolves.toEqual({
      verdict: 'suspicious',
      summary: '1 pulse',
      entries: [{ name: 'malware', category: 'suspicious', detail: null }],
    });
  });

  it('reads a pulse naming a malware family as malicious', async () => {
    mockService(otx).get(path(SHA)).reply(200, fixture('otx', 'found-family.json'));
    const finding = await lookup(otx, sha256(SHA), { apiKey: KEY });
    expect(finding?.verdict).toBe('malicious');
    expect(finding?.summary).toBe('2 pulses · family: Emotet');
    expect(finding?.entries).toEqual([
      {
        name: 'Emotet epoch 4 loaders',
        category: 'malicious',
        detail: 'family: Emotet · emotet, loader, doc',
      },
      { name: 'Daily honeypot drops', category: 'suspicious', detail: 'honeypot' },
    ]);
  });

  it('returns null when no pulse lists the hash', async () => {
    mockService(otx).get(path(SHA)).reply(200, fixture('otx', 'not-found.json'));
    await expect(lookup(otx, sha256(SHA), { apiKey: KEY })).resolves.toBeNull();
  });

  it('returns null on 404', async () => {
    mockService(otx).get(path(SHA)).reply(404, { detail: 'Not found.' });
    await expect(lookup(otx, sha256(SHA), { apiKey: KEY })).resolves.toBeNull();
  });

  it('rejects a changed body instead of reading it as not found', async () => {
    mockService(otx)
      .get(path(SHA))
      .reply(200, { pulse_info: { count: '2', pulses: 'many' } });
    await expect(lookup(otx, sha256(SHA), { apiKey: KEY })).rejects.toBeInstanceOf(BadResponseError);
  });

  it('maps a rejected key to an auth error without repeating the key', async () => {
    mockService(otx)
      .get(path(SHA))
      .reply(403, { detail: `Authentication failed for ${KEY}` });
    const error = await lookup(otx, sha256(SHA), { apiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('links the indicator page', () => {
    expect(otx.link(sha256(SHA))).toBe(`https://otx.alienvault.com/indicator/file/${SHA}`);
  });
});
