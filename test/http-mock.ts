/**
 * The one place tests talk to nock. Requests that match no mock fail the test (net connect is
 * disabled in setup.ts); unused mocks fail it too.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { ServiceRun } from '../src/core/service-run.js';
import { createServiceHttp } from '../src/http/client.js';
import type { HashRef } from '../src/model/report.js';
import type { Finding, ServiceDefinition } from '../src/services/types.js';

export { nock };

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A recorded vendor answer from fixtures/<service>/<name>. */
export function fixture(service: string, name: string): string {
  return readFileSync(`${FIXTURES}${service}/${name}`, 'utf8');
}

export function fixtureJson(service: string, name: string): unknown {
  return JSON.parse(fixture(service, name));
}

/** nock scope on a service's default base URL (origin + path prefix). */
export function mockService(service: ServiceDefinition): nock.Scope {
  return nock(service.baseUrl);
}

export interface LookupOptions {
  apiKey?: string;
  timeoutMs?: number;
  baseUrl?: string;
  /** The service's run (secrets, adapter state): pass one to share it across lookups, as a run does. */
  run?: ServiceRun;
}

/** Run one adapter lookup through the real HTTP layer, as the runner does. */
export function lookup(
  service: ServiceDefinition,
  hash: HashRef,
  options: LookupOptions = {},
): Promise<Finding | null> {
  const signal = new AbortController().signal;
  const run = options.run ?? new ServiceRun(options.apiKey);
  const http = createServiceHttp({
    baseUrl: options.baseUrl ?? service.baseUrl,
    secrets: run.secrets,
    timeoutMs: options.timeoutMs ?? 2_000,
    signal,
  });
  const dns = {
    txt: () => Promise.reject(new Error('this test did not expect a DNS lookup')),
  };
  const finding = service.lookup(hash, {
    http,
    dns,
    apiKey: options.apiKey,
    baseUrl: options.baseUrl ?? service.baseUrl,
    signal,
    secret: (value) => run.secrets.add(value),
    state: run.state,
  });
  // As the runner does: whatever an adapter throws is redacted with the service's secrets.
  return finding.catch((error: unknown) => {
    if (error instanceof Error) error.message = run.secrets.redact(error.message);
    throw error;
  });
}

export const sha256 = (value: string): HashRef => ({ type: 'sha256', value });
export const sha1 = (value: string): HashRef => ({ type: 'sha1', value });
export const md5 = (value: string): HashRef => ({ type: 'md5', value });
