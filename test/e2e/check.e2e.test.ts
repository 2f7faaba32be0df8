/**
 * End to end: the built `ti-check` binary, run as a user runs it, against a local fake vendor on
 * 127.0.0.1 that answers recorded vendor responses (services pointed at it with TI_CHECK_<ID>_URL).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { type FakeVendor, startFakeVendor } from '../helpers/fake-vendor.js';
import { reportErrors } from '../helpers/report-schema.js';
import { assertBuilt, isolatedEnv, runBin } from '../helpers/run-bin.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fixture } from '../http-mock.js';

const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
const EICAR_SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
const UNKNOWN_SHA256 = 'ab'.repeat(32);
const KEY = 'e2e-secret-key-0123456789';

/** Every JSON report the binary prints must match the published schema. */
function parseReport(stdout: string): Report {
  const report = JSON.parse(stdout) as Report;
  expect(reportErrors(report)).toEqual([]);
  return report;
}

let vendor: FakeVendor;

beforeAll(async () => {
  assertBuilt();
  vendor = await startFakeVendor([
    // ThreatFox knows EICAR's hash (recorded docs answer), not the other one.
    {
      method: 'POST',
      path: '/threatfox/api/v1/',
      body: (req) => fixture('threatfox', req.body.includes(EICAR_SHA256) ? 'found.json' : 'not-found.json'),
    },
    // URLhaus is down and says so with the key in its message: it must turn red, redacted.
    { method: 'POST', path: '/urlhaus/v1/payload/', status: 500, body: `internal error for key ${KEY}` },
    // VirusTotal's recorded macro-virus report (multi-engine) for any hash; CIRCL knows one NSRL file.
    { path: /^\/vt\/api\/v3\/files\//, body: () => fixture('virustotal', 'found.json') },
    {
      path: /^\/hashlookup\/lookup\//,
      status: 404,
      body: () => fixture('hashlookup', 'not-found.json'),
    },
    // OTX hangs past the timeout.
    { path: /^\/otx\//, delayMs: 5_000, body: '{}' },
    // MalShare takes its key in the query string (recorded plain-text miss).
    { path: /^\/malshare\/api\.php/, body: () => fixture('malshare', 'not-found.txt') },
  ]);
});
afterAll(() => vendor.close());

function env(extra: Record<string, string> = {}) {
  return isolatedEnv({
    TI_CHECK_THREATFOX_URL: `${vendor.url}/threatfox`,
    TI_CHECK_THREATFOX_KEY: KEY,
    TI_CHECK_URLHAUS_URL: `${vendor.url}/urlhaus`,
    TI_CHECK_URLHAUS_KEY: KEY,
    TI_CHECK_OTX_URL: `${vendor.url}/otx`,
    TI_CHECK_OTX_KEY: KEY,
    ...extra,
  });
}
const SERVICES = '--services=threatfox,urlhaus,otx,virusshare';

describe('ti-check (built binary)', () => {
  it('hashes a file, asks every service at once and prints the JSON report', async () => {
    const dir = tempDir('ti-check-e2e-');
    const file = join(dir, 'eicar.com');
    writeFileSync(file, EICAR);
    const { code, stdout, stderr } = await runBin([file, SERVICES, '--json', '--timeout', '1'], {
      env: env(),
    });
    // The gate says why it fails, whatever went to stdout.
    expect(stderr).toBe(`ti-check: 1 of 1 target malicious: ${file} (ThreatFox Houdini)\n`);
    expect(code).toBe(1);
    const report = parseReport(stdout);
    expect(report.schemaVersion).toBe(1);
    const [result] = report.results;
    expect(result?.target).toEqual({
      path: file,
      size: 68,
      md5: '44d88612fea8a8f36de82e1278abb02f',
      sha1: '3395856ce81f2b7382dee72602f798b642f14140',
      sha256: EICAR_SHA256,
    });
    expect(result?.verdict).toBe('malicious');
    expect(result?.services.map((s) => [s.service, s.status, s.verdict, s.error?.code ?? null])).toEqual([
      ['threatfox', 'found', 'malicious', null],
      ['urlhaus', 'error', null, 'unavailable'],
      ['otx', 'error', null, 'timeout'],
      ['virusshare', 'disabled', null, null],
    ]);
    expect(stdout).not.toContain(KEY);
    // Only hashes left the machine: no request carried the file's bytes.
    expect(vendor.requests.some((r) => r.body.includes('EICAR-STANDARD'))).toBe(false);
  });

  it('counts VirusTotal engines with the verdict policy and shows the not-found service gray', async () => {
    const vtEnv = env({
      TI_CHECK_VIRUSTOTAL_URL: `${vendor.url}/vt`,
      TI_CHECK_VIRUSTOTAL_KEY: KEY,
      TI_CHECK_HASHLOOKUP_URL: `${vendor.url}/hashlookup`,
    });
    const { code, stdout } = await runBin(
      ['--hash', UNKNOWN_SHA256, '--services=virustotal,hashlookup', '--json'],
      { env: vtEnv },
    );
    expect(code).toBe(1);
    const [vt, hashlookup] = parseReport(stdout).results[0]?.services ?? [];
    expect(vt).toMatchObject({
      status: 'found',
      verdict: 'malicious',
      stats: { malicious: 53, suspicious: 0, clean: 0, undetected: 9, total: 62 },
      link: `https://www.virustotal.com/gui/file/${UNKNOWN_SHA256}`,
    });
    expect(vt?.entries).toHaveLength(62);
    expect(hashlookup).toMatchObject({ status: 'not_found', verdict: null });
    const request = vendor.requests.find((r) => r.path.startsWith('/vt/'));
    expect(request?.path).toBe(`/vt/api/v3/files/${UNKNOWN_SHA256}`);
    expect(request?.headers['x-apikey']).toBe(KEY);
    // The bundle's version (fixed when it is built) is the package's.
    expect(request?.headers['user-agent']).toBe(`ti-check/${packageVersion()}`);
  });

  it('prints the colour-free table when piped, with a link line and the disabled hint', async () => {
    const { code, stdout } = await runBin(['--hash', EICAR_SHA256, SERVICES, '--timeout', '1'], {
      env: env(),
    });
    expect(code).toBe(1);
    expect(stdout).not.toContain('\u001b[');
    expect(stdout).toContain('verdict  MALICIOUS');
    expect(stdout).toMatch(/▸ ThreatFox\s+│ found/);
    expect(stdout).toContain('↗ https://threatfox.abuse.ch/');
    // Services not asked collapse into one line under the table.
    expect(stdout).toContain('1 service needs a key (ti-check services): VirusShare');
    expect(stdout).toMatch(/unavailable: HTTP 500 Internal Server Error: internal error for key \*\*\*/);
    expect(stdout).not.toContain(KEY);
  });

  it('colours the report when forced, and NO_COLOR wins', async () => {
    const forced = await runBin(['--hash', EICAR_SHA256, '--services=threatfox'], {
      env: env({ FORCE_COLOR: '1' }),
    });
    expect(forced.stdout).toContain('\u001b[31m');
    const plain = await runBin(['--hash', EICAR_SHA256, '--services=threatfox'], {
      env: env({ FORCE_COLOR: '1', NO_COLOR: '1' }),
    });
    expect(plain.stdout).not.toContain('\u001b[');
  });

  it('exits 0 for a hash nobody knows, with verdict unknown', async () => {
    const { code, stdout } = await runBin(['--hash', UNKNOWN_SHA256, '--services=threatfox', '--json'], {
      env: env(),
    });
    expect(code).toBe(0);
    expect(parseReport(stdout).results[0]).toMatchObject({
      verdict: 'unknown',
      services: [{ service: 'threatfox', status: 'not_found' }],
    });
  });

  it('exits 0 with --fail-on none even for a malicious file', async () => {
    const { code } = await runBin(['--hash', EICAR_SHA256, '--services=threatfox', '--fail-on', 'none'], {
      env: env(),
    });
    expect(code).toBe(0);
  });

  it('exits 3 when every service that could answer failed', async () => {
    const { code, stderr } = await runBin(['--hash', EICAR_SHA256, '--services=urlhaus,virusshare'], {
      env: env(),
    });
    expect(code).toBe(3);
    expect(stderr).toBe(`ti-check: no service could answer for ${EICAR_SHA256}\n`);
  });

  it('exits 2 with one line and no stack for bad input and bad config', async () => {
    const cases: Array<[string[], RegExp, NodeJS.ProcessEnv?]> = [
      [['--hash', 'nope'], /^ti-check: not an MD5, SHA1 or SHA256 hash: "nope"/],
      [['/does/not/exist.bin'], /^ti-check: \/does\/not\/exist\.bin: no such file$/],
      [
        ['--hash', EICAR_SHA256, '--services=nosuch'],
        /^ti-check: unknown service "nosuch" \(valid: .*threatfox/,
      ],
      [
        ['--hash', EICAR_SHA256],
        /^ti-check: TI_CHECK_THREATFOX_URL: expected an absolute URL/,
        env({ TI_CHECK_THREATFOX_URL: 'nope' }),
      ],
      [[], /^ti-check: nothing to check/],
    ];
    for (const [args, pattern, customEnv] of cases) {
      const { code, stdout, stderr } = await runBin(args, { env: customEnv ?? env() });
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stdout).toBe('');
      expect(stderr.split('\n')[0]).toMatch(pattern);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('reads keys and URLs from a config file in the working directory', async () => {
    const cwd = tempDir('ti-check-cfg-');
    writeFileSync(
      join(cwd, '.ti-checkrc.json'),
      JSON.stringify({ services: { threatfox: { apiKey: KEY, baseUrl: `${vendor.url}/threatfox` } } }),
    );
    const { code, stdout } = await runBin(['--hash', EICAR_SHA256, '--services=threatfox', '--json'], {
      cwd,
    });
    expect(code).toBe(1);
    expect(parseReport(stdout).results[0]?.services[0]?.status).toBe('found');
  });

  it('reports a broken config file as one line with the path of the bad key', async () => {
    const cwd = tempDir('ti-check-cfg-');
    writeFileSync(join(cwd, '.ti-checkrc.json'), JSON.stringify({ policy: { minMaliciousEngines: 0 } }));
    const { code, stderr } = await runBin(['--hash', EICAR_SHA256], { cwd });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^ti-check: .*\.ti-checkrc\.json: policy\.minMaliciousEngines: .*>=1\n$/);
  });

  it('names the config file that does not parse and why, for JSON and for an ES module', async () => {
    for (const [name, source, reason] of [
      ['.ti-checkrc.json', '{ "timeout": ', /invalid JSON: .*JSON/],
      ['ti-check.config.mjs', 'export default {', /SyntaxError: Unexpected end of input/],
    ] as const) {
      const cwd = tempDir('ti-check-cfg-');
      writeFileSync(join(cwd, name), source);
      const { code, stdout, stderr } = await runBin(['--hash', EICAR_SHA256], { cwd });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      const [line, ...rest] = stderr.split('\n');
      expect(line?.startsWith(`ti-check: cannot read config ${join(cwd, name)}: `)).toBe(true);
      expect(line).toMatch(reason);
      expect(rest.join('')).toBe('');
    }
  });

  it('--debug logs each request with every key masked, and leaves the report alone', async () => {
    const e = env({
      TI_CHECK_VIRUSTOTAL_URL: `${vendor.url}/vt`,
      TI_CHECK_VIRUSTOTAL_KEY: KEY,
      TI_CHECK_MALSHARE_URL: `${vendor.url}/malshare`,
      TI_CHECK_MALSHARE_KEY: KEY,
    });
    const args = [
      '--hash',
      EICAR_SHA256,
      '--services=virustotal,malshare,threatfox,urlhaus',
      '--json',
      '--no-cache',
    ];
    const { code, stdout, stderr } = await runBin([...args, '--debug'], { env: e });

    expect(code).toBe(1);
    const quiet = await runBin(args, { env: e });
    const strip = (r: Report) =>
      r.results.map((t) => t.services.map(({ durationMs: _d, fetchedAt: _f, ...s }) => s));
    expect(strip(parseReport(stdout))).toEqual(strip(parseReport(quiet.stdout)));

    expect(stderr).not.toContain(KEY);
    const lines = stderr.split('\n').filter((l) => l.startsWith('ti-check: debug: '));
    const origin = vendor.url.replace(/[.]/g, '\\.');
    for (const pattern of [
      `malshare: GET ${origin}/malshare/api\\.php\\?api_key=\\*\\*\\*&action=details&hash=${EICAR_SHA256} → 200, \\d+ bytes \\(\\d+ ms\\)`,
      `virustotal: GET ${origin}/vt/api/v3/files/${EICAR_SHA256} → 200, \\d+ bytes \\(\\d+ ms\\)`,
      `threatfox: POST ${origin}/threatfox/api/v1/ → 200, \\d+ bytes \\(\\d+ ms\\)`,
      `urlhaus: POST ${origin}/urlhaus/v1/payload/ → 500, \\d+ bytes \\(\\d+ ms\\)`,
    ]) {
      expect(
        lines.some((l) => new RegExp(`^ti-check: debug: ${pattern}$`).test(l)),
        pattern,
      ).toBe(true);
    }
    expect(quiet.stderr).not.toContain('debug');
  });

  it('--version and --help work', async () => {
    const version = packageVersion();
    // The fast path (nothing but the version loaded) and the full parser agree.
    for (const flag of ['--version', '-V']) {
      expect(await runBin([flag])).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
    expect((await runBin(['--version', '--json'])).stdout).toBe(`${version}\n`);
    const help = await runBin(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
  });
});

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
