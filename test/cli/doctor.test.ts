import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { permissionWarning } from '../../src/cli/doctor-command.js';
import { main } from '../../src/cli/main.js';
import { EICAR_TARGET } from '../../src/core/doctor.js';
import {
  AuthError,
  BadResponseError,
  NetworkError,
  RateLimitError,
  TimeoutError,
  UnavailableError,
} from '../../src/errors.js';
import type { HashRef } from '../../src/model/report.js';
import { fakeIo } from '../helpers/fake-io.js';
import { failing, fakeService } from '../helpers/fake-services.js';
import { tempDir } from '../helpers/temp-dir.js';

const SECRET = 'doctor-secret-key-42';
const asked: HashRef[] = [];
const keyed = { auth: { key: 'required', signup: 'https://keys.example.test/' } } as const;
const registry = [
  fakeService('good', (hash) => {
    asked.push(hash);
    return null;
  }),
  fakeService('rejects', () => Promise.reject(new AuthError(`HTTP 401: bad key ${SECRET}`)), keyed),
  failing('offline', new NetworkError('connect ECONNREFUSED 127.0.0.1:9')),
  failing('slow', new TimeoutError('no answer within 1 s')),
  failing('spent', new RateLimitError('HTTP 429')),
  failing('down', new UnavailableError('HTTP 503')),
  failing('drifted', new BadResponseError('not JSON')),
  fakeService('nokey', () => null, keyed),
];

async function doctor(args: string[], env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const cwd = tempDir('ti-check-doctor-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, name), text);
  const io = fakeIo({ env: { HOME: cwd, ...env }, cwd });
  const code = await main(['doctor', ...args], io, registry);
  return { code, out: io.out(), err: io.err(), cwd };
}

describe('ti-check doctor', () => {
  it('asks each configured service once for the EICAR hashes and exits 0 when all answer', async () => {
    asked.length = 0;
    const { code, out } = await doctor(['--services', 'good']);
    expect(code).toBe(0);
    expect(asked).toEqual([{ type: 'sha256', value: EICAR_TARGET.sha256 }]);
    expect(out).toMatch(/^config {4}none found: defaults \(ti-check init writes one\)$/m);
    expect(out).toMatch(/^ {2}OK +GOOD +answered in \d+ ms \(does not know the EICAR test file\)$/m);
    expect(out).toMatch(/1 of 1 service OK\n$/);
  });

  it('names what is wrong with each service and its fix, never the key; exit 1', async () => {
    const { code, out, err } = await doctor([], { TI_CHECK_REJECTS_KEY: SECRET });
    expect(code).toBe(1);
    expect(err).toBe('');
    expect(`${out}${err}`).not.toContain(SECRET);
    expect(out).toContain('env       TI_CHECK_REJECTS_KEY\n');
    expect(out).toMatch(
      /REJECTED KEY +REJECTS +REJECTS rejected the API key \(HTTP 401\): check TI_CHECK_REJECTS_KEY/,
    );
    expect(out).toContain(
      'fix: check TI_CHECK_REJECTS_KEY for a typo, a revoked key or a plan without API access; a new key at https://keys.example.test/',
    );
    expect(out).toMatch(/UNREACHABLE +OFFLINE +connect ECONNREFUSED/);
    expect(out).toContain(
      'fix: check the network, the proxy (HTTPS_PROXY, NO_PROXY) and the address it was asked at: https://offline.example.test (TI_CHECK_OFFLINE_URL or services.offline.baseUrl)',
    );
    expect(out).toMatch(/UNREACHABLE +SLOW +no answer within 1 s/);
    expect(out).toMatch(/RATE LIMITED +SPENT/);
    expect(out).toMatch(
      /UNAVAILABLE +DOWN .*\n.*fix: the vendor is having trouble on its side: try again later/,
    );
    expect(out).toMatch(
      /BAD ANSWER +DRIFTED .*\n.*fix: the answer was not what its API gives: is TI_CHECK_DRIFTED_URL/,
    );
    // Not configured is not a failure, unless asked for by name.
    expect(out).toContain('not set up (no key): nokey\n');
    expect(out).toMatch(/6 of 7 services failed\n$/);
    const named = await doctor(['--services', 'nokey,good']);
    expect(named.code).toBe(1);
    expect(named.out).toMatch(
      /NO KEY +NOKEY +needs an API key: set TI_CHECK_NOKEY_KEY\n.*fix: get a key at https:\/\/keys\.example\.test\/, then set TI_CHECK_NOKEY_KEY/,
    );
  });

  it('skips services switched off in the config, and refuses an unknown --services name (exit 2)', async () => {
    const files = { '.ti-checkrc.json': JSON.stringify({ services: { offline: { enabled: false } } }) };
    const { out } = await doctor(['--services', 'good'], {}, files);
    expect(out).not.toContain('OFFLINE');
    const all = await doctor([], {}, files);
    expect(all.out).toContain('switched off in config: offline\n');
    const typo = await doctor(['--services', 'gdoo']);
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/^ti-check: unknown service "gdoo"/);
  });

  it.skipIf(process.platform === 'win32')(
    'warns, as ssh does, about a config with keys that others can read',
    async () => {
      const files = { '.ti-checkrc.json': JSON.stringify({ services: { rejects: { apiKey: SECRET } } }) };
      const cwd = tempDir('ti-check-doctor-perm-');
      const file = join(cwd, '.ti-checkrc.json');
      writeFileSync(file, files['.ti-checkrc.json']);
      chmodSync(file, 0o644);
      expect(permissionWarning(file, ['rejects'])).toBe(
        `${file} holds API keys (rejects) and is readable by others (mode 0644): chmod 600 ${file}, or write the keys as \${TI_CHECK_<ID>_KEY} references`,
      );
      chmodSync(file, 0o600);
      expect(permissionWarning(file, ['rejects'])).toBeUndefined();
      // References are no secret: readable is fine, but nobody else may edit where keys are sent.
      chmodSync(file, 0o644);
      expect(permissionWarning(file, [])).toBeUndefined();
      chmodSync(file, 0o666);
      expect(permissionWarning(file, [])).toBe(
        `${file} is writable by others (mode 0666): chmod go-w ${file}`,
      );
      // Through the command: the warning alone fails the doctor.
      chmodSync(file, 0o640);
      const io = fakeIo({ env: { HOME: cwd }, cwd });
      expect(await main(['doctor', '--services', 'good'], io, registry)).toBe(1);
      expect(io.out()).toContain(
        `warning   ${file} holds API keys (rejects) and is readable by others (mode 0640)`,
      );
      expect(io.out()).not.toContain(SECRET);
    },
  );
});
