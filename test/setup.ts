import nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { useTransport } from '../src/http/transport.js';
import { fetchTransport } from './helpers/fetch-transport.js';
import { removeTempDirs } from './helpers/temp-dir.js';

// Unit tests send through global fetch, which nock intercepts (the built binary in test/e2e/ uses
// the real transports, node:http or undici, against local servers).
useTransport(fetchTransport);

// No real network in tests: only local servers on 127.0.0.1 may be reached.
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

afterEach(() => {
  // A mock nobody called means the adapter asked for something else than the test thought.
  const pending = nock.pendingMocks();
  nock.cleanAll();
  if (pending.length > 0) throw new Error(`unused HTTP mocks: ${pending.join(', ')}`);
});

// Every directory a test file made with tempDir() goes when the file is done.
afterAll(removeTempDirs);
