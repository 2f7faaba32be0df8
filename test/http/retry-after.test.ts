/**
 * Retry-After (RFC 9110 §10.2.3): delta-seconds, or an HTTP date in any of the three formats a
 * recipient must accept (§5.6.7) — which are all GMT, whatever the machine's time zone.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RateLimitError, UnavailableError } from '../../src/errors.js';
import { createServiceHttp } from '../../src/http/client.js';
import { parseRetryAfter } from '../../src/http/retry-after.js';
import { nock } from '../http-mock.js';

// 2015-10-21 07:27:30 UTC, 30 s before the dates below.
const NOW = Date.UTC(2015, 9, 21, 7, 27, 30);
const IMF = 'Wed, 21 Oct 2015 07:28:00 GMT';

const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
  vi.useRealTimers();
});

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['120', 120],
    [' 30 ', 30],
  ])('reads delta-seconds %j as %i', (value, seconds) => {
    expect(parseRetryAfter(value, NOW)).toBe(seconds);
  });

  it.each([
    ['IMF-fixdate', IMF],
    ['RFC 850', 'Wednesday, 21-Oct-15 07:28:00 GMT'],
    ['asctime', 'Wed Oct 21 07:28:00 2015'],
    ['ISO 8601 (not HTTP, but unambiguous)', '2015-10-21T07:28:00Z'],
  ])('reads an HTTP date (%s) as the seconds until then, in any time zone', (_format, value) => {
    for (const tz of ['UTC', 'America/New_York', 'Asia/Tokyo', 'Australia/Lord_Howe']) {
      process.env.TZ = tz;
      expect({ tz, seconds: parseRetryAfter(value, NOW) }).toEqual({ tz, seconds: 30 });
    }
  });

  it('reads an asctime date with a one-digit day (space-padded) as GMT', () => {
    process.env.TZ = 'America/New_York';
    expect(parseRetryAfter('Thu Oct  1 07:28:00 2015', Date.UTC(2015, 9, 1, 7, 27, 30))).toBe(30);
  });

  it('rounds a date that is part of a second away up, never down to "now"', () => {
    expect(parseRetryAfter(IMF, NOW + 29_400)).toBe(1);
    expect(parseRetryAfter(IMF, NOW + 400)).toBe(30);
  });

  it('reads a date already past as 0 (ask again now), not as a negative wait', () => {
    expect(parseRetryAfter(IMF, NOW + 3_600_000)).toBe(0);
    expect(parseRetryAfter(IMF, NOW + 30_000)).toBe(0);
  });

  it.each([null, '', 'soon', '120s', '-5', '1.5', '1,5', '1 2', '+30', 'Wed, 32 Oct 2015 07:28:00 GMT'])(
    'has no wait for the unreadable %j',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );
});

describe('a Retry-After date on an HTTP answer', () => {
  const BASE = 'https://api.vendor.test';
  const client = () => createServiceHttp({ baseUrl: BASE, secrets: [], timeoutMs: 1_000 });

  it('goes up with the 429 and the 503 as seconds from the clock of the run', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    nock(BASE)
      .get('/busy')
      .reply(429, 'slow down', { 'retry-after': IMF })
      .get('/down')
      .reply(503, 'maintenance', { 'retry-after': 'Wed, 21 Oct 2015 07:29:30 GMT' });
    const busy = await client()
      .request({ path: '/busy' })
      .catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(RateLimitError);
    expect((busy as RateLimitError).retryAfterSeconds).toBe(30);
    const down = await client()
      .request({ path: '/down' })
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(UnavailableError);
    expect((down as UnavailableError).retryAfterSeconds).toBe(120);
  });
});
