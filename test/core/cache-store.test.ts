/**
 * A stored answer is read back through the report model's schema: a row that is JSON but not an
 * answer (changed by hand, written by another version, damaged) is a miss, never a verdict.
 */
import { describe, expect, it } from 'vitest';
import { decodeAnswer } from '../../src/core/cache/index.js';
import type { ServiceResult } from '../../src/model/report.js';

const KEY = {
  service: 'hashlookup',
  baseUrl: 'https://x.test',
  hash: { type: 'sha1', value: 'a'.repeat(40) },
} as const;
const FOUND: ServiceResult = {
  service: 'hashlookup',
  status: 'found',
  verdict: 'clean',
  stats: null,
  entries: [{ name: 'NSRL', category: 'clean', detail: 'known file' }],
  link: null,
  error: null,
  summary: null,
  hint: null,
  durationMs: 12,
};
const AT = Date.UTC(2026, 11, 1);

describe('decodeAnswer', () => {
  it('gives back a stored answer, marked cached with its time', () => {
    expect(decodeAnswer(KEY.service, JSON.stringify(FOUND), AT)).toEqual({
      ...FOUND,
      cached: true,
      fetchedAt: '2026-12-01T00:00:00.000Z',
    });
  });

  it.each([
    ['not JSON', '{"service":"hashlookup",'],
    ['JSON but not an object', '"found"'],
    [
      'an unknown category',
      JSON.stringify({ ...FOUND, entries: [{ name: 'x', category: 'evil', detail: null }] }),
    ],
    ['a verdict that is not one', JSON.stringify({ ...FOUND, verdict: 'probably fine' })],
    ['rows missing', JSON.stringify({ service: 'hashlookup', status: 'found', verdict: 'malicious' })],
    [
      'an error row',
      JSON.stringify({ ...FOUND, status: 'error', error: { code: 'unavailable', message: 'x' } }),
    ],
    ["another service's answer", JSON.stringify({ ...FOUND, service: 'virustotal' })],
  ])('reads %s as a miss', (_why, body) => {
    expect(decodeAnswer(KEY.service, body, AT)).toBeUndefined();
  });
});
