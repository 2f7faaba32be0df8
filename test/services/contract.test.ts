/**
 * The contract every HTTP adapter keeps, checked over the whole registry at once: an answer that
 * does not positively say "found" or "not found" is a `bad_response` error — never a verdict, never
 * "not found", never a crash. In threat intelligence a silent miss reads as "clean".
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServiceError } from '../../src/errors.js';
import { SERVICES } from '../../src/services/index.js';
import type { Finding } from '../../src/services/types.js';
import { lookup, nock, sha256 } from '../http-mock.js';

const HASH = sha256('275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f');
const KEY = 'contract-test-key-0123456789';
const HTTP_SERVICES = SERVICES.filter((s) => !s.baseUrl.startsWith('dns:'));

/** Bodies that say nothing: each must be an error for every service. */
const GARBAGE: [string, string][] = [
  ['{}', '{}'],
  ['[]', '[]'],
  ['null', 'null'],
  ['{"data":null}', '{"data":null}'],
  ['a message', '{"message":"Rate limit exceeded"}'],
  ['an error object', '{"error":{"code":"Oops","message":"something went wrong"}}'],
  ['an error string', '{"error":"something went wrong"}'],
  ['a number', '42'],
  ['a string', '"ok"'],
];

type Outcome =
  | { kind: 'finding'; value: Finding | null }
  | { kind: 'error'; code: string }
  | { kind: 'crash'; error: unknown };

/** Every request of the service, whatever its path or method, gets `status` and `body`. */
async function answerAll(service: (typeof SERVICES)[number], status: number, body: string): Promise<Outcome> {
  const scope = nock(new URL(service.baseUrl).origin)
    .persist()
    .intercept(/.*/, 'GET')
    .reply(status, body, { 'content-type': 'application/json' })
    .intercept(/.*/, 'POST')
    .reply(status, body, { 'content-type': 'application/json' });
  try {
    return { kind: 'finding', value: await lookup(service, HASH, { apiKey: KEY, timeoutMs: 2_000 }) };
  } catch (error) {
    return error instanceof ServiceError ? { kind: 'error', code: error.code } : { kind: 'crash', error };
  } finally {
    scope.persist(false);
    nock.cleanAll();
  }
}

/** Every request of the service fails at the socket with `code` (the connection never answers). */
async function breakAll(service: (typeof SERVICES)[number], code: string): Promise<Outcome> {
  const scope = nock(new URL(service.baseUrl).origin)
    .persist()
    .intercept(/.*/, 'GET')
    .replyWithError({ code, message: `${code} (socket)` })
    .intercept(/.*/, 'POST')
    .replyWithError({ code, message: `${code} (socket)` });
  try {
    return { kind: 'finding', value: await lookup(service, HASH, { apiKey: KEY }) };
  } catch (error) {
    return error instanceof ServiceError ? { kind: 'error', code: error.code } : { kind: 'crash', error };
  } finally {
    scope.persist(false);
    nock.cleanAll();
  }
}

/**
 * Every request of the service is accepted but never answered within the test; the lookup's
 * deadline runs on vitest's fake clock, which is moved past it (no real waiting).
 */
async function stallAll(service: (typeof SERVICES)[number], timeoutMs: number): Promise<Outcome> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  // nock keeps its own (real) timer for the delay; cleanAll() below clears it.
  const scope = nock(new URL(service.baseUrl).origin)
    .persist()
    .intercept(/.*/, 'GET')
    .delay(3_600_000)
    .reply(200, '{}', { 'content-type': 'application/json' })
    .intercept(/.*/, 'POST')
    .delay(3_600_000)
    .reply(200, '{}', { 'content-type': 'application/json' });
  const asked = new Promise((resolve) => scope.once('request', resolve));
  const outcome = lookup(service, HASH, { apiKey: KEY, timeoutMs }).then(
    (value): Outcome => ({ kind: 'finding', value }),
    (error: unknown): Outcome =>
      error instanceof ServiceError ? { kind: 'error', code: error.code } : { kind: 'crash', error },
  );
  try {
    // The request is out (its deadline set); the clock then moves past the deadline.
    await asked;
    await vi.advanceTimersByTimeAsync(timeoutMs);
    return await outcome;
  } finally {
    scope.persist(false);
    nock.cleanAll();
  }
}

afterEach(() => {
  vi.useRealTimers();
});

/** Statuses a vendor documents with a meaning of its own (see the adapter's README). */
const VENDOR_STATUS: Record<string, Record<number, string>> = {
  // OpenTIP answers a spent quota with 403 (Kaspersky's own client: "Quota or request limit exceeded").
  opentip: { 403: 'rate_limited' },
};

describe.each(HTTP_SERVICES.map((s) => [s.id, s] as const))('%s fails closed', (_id, service) => {
  it.each(GARBAGE)('a 200 with %s is bad_response', async (_name, body) => {
    expect(await answerAll(service, 200, body)).toEqual({ kind: 'error', code: 'bad_response' });
  });

  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [429, 'rate_limited'],
    [500, 'unavailable'],
    [502, 'unavailable'],
    [503, 'unavailable'],
  ])('HTTP %i is %s', async (status, code) => {
    const outcome = await answerAll(service, status, '{"error":"x"}');
    expect(outcome).toEqual({ kind: 'error', code: VENDOR_STATUS[service.id]?.[status] ?? code });
  });

  it.each(['ECONNRESET', 'ECONNREFUSED'])('a connection that fails with %s is network', async (code) => {
    expect(await breakAll(service, code)).toEqual({ kind: 'error', code: 'network' });
  });

  it('an answer that does not come within the timeout is timeout', async () => {
    expect(await stallAll(service, 20_000)).toEqual({ kind: 'error', code: 'timeout' });
  });

  it('random JSON is never a crash, and never found without the fields that say so', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (json) => {
        const outcome = await answerAll(service, 200, JSON.stringify(json));
        expect(outcome.kind).not.toBe('crash');
        if (outcome.kind === 'error') expect(outcome.code).toBe('bad_response');
        // Random data can in principle spell a real answer; it must at least be well-formed.
        if (outcome.kind === 'finding' && outcome.value)
          expect(Array.isArray(outcome.value.entries)).toBe(true);
      }),
      { numRuns: 40, seed: 20261202 },
    );
  });
});
