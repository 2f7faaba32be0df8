/** Fake adapters for core and CLI tests: real ServiceDefinitions whose lookups answer from memory. */
import { AuthError, TimeoutError } from '../../src/errors.js';
import type { Entry, HashRef } from '../../src/model/report.js';
import { defineService, type Finding, type ServiceDefinition } from '../../src/services/types.js';

const RATE = { requests: 1000, perSeconds: 60, source: 'test', basis: 'conservative' } as const;

export function engines(malicious: number, clean = 0, undetected = 0, suspicious = 0): Entry[] {
  const rows = (n: number, category: Entry['category'], prefix: string): Entry[] =>
    Array.from({ length: n }, (_, i) => ({
      name: `${prefix}${i + 1}`,
      category,
      detail: category === 'malicious' ? 'Trojan.Gen' : null,
    }));
  return [
    ...rows(malicious, 'malicious', 'Mal'),
    ...rows(suspicious, 'suspicious', 'Sus'),
    ...rows(clean, 'clean', 'Clean'),
    ...rows(undetected, 'undetected', 'Undet'),
  ];
}

export function fakeService(
  id: string,
  answer: (hash: HashRef) => Promise<Finding | null> | Finding | null,
  overrides: Partial<ServiceDefinition> = {},
): ServiceDefinition {
  return defineService({
    id,
    displayName: id.toUpperCase(),
    kind: 'multi-engine',
    hashTypes: ['sha256', 'sha1', 'md5'],
    auth: { key: 'none' },
    baseUrl: `https://${id}.example.test`,
    rateLimit: RATE,
    docs: `https://${id}.example.test/docs`,
    link: (hash) => `https://${id}.example.test/file/${hash.value}`,
    lookup: async (hash) => answer(hash),
    ...overrides,
  });
}

export const failing = (id: string, error: Error = new AuthError('HTTP 401 Unauthorized')) =>
  fakeService(id, () => Promise.reject(error));

export const hanging = (id: string) =>
  fakeService(id, () => new Promise<never>(() => undefined), { displayName: 'Hangs' });

export { TimeoutError };
