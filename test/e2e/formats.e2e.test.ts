/**
 * End to end for CI gating and report formats: the built binary with the real VirusTotal and CIRCL
 * hashlookup adapters against recorded answers on a local fake vendor.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeVendor, startFakeVendor } from '../helpers/fake-vendor.js';
import { ndjsonErrors, reportErrors, sarifErrors } from '../helpers/report-schema.js';
import { assertBuilt, isolatedEnv, runBin } from '../helpers/run-bin.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fixture } from '../http-mock.js';

const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
const CLEAN = 'hello, ti-check\n';
const hashesOf = (text: string) =>
  ['md5', 'sha1', 'sha256'].map((a) => createHash(a).update(text).digest('hex'));
const EICAR_HASHES = hashesOf(EICAR);
const KEY = 'e2e-vt-key-0123456789';
const SERVICES = '--services=virustotal,hashlookup';

let vendor: FakeVendor;
let down: FakeVendor;
let dir: string;

beforeAll(async () => {
  assertBuilt();
  vendor = await startFakeVendor([
    {
      path: /^\/vt\/api\/v3\/files\//,
      body: (req) =>
        fixture(
          'virustotal',
          EICAR_HASHES.some((h) => req.path.includes(h)) ? 'found.json' : 'found-undetected.json',
        ),
    },
    {
      path: /^\/hashlookup\/lookup\//,
      status: 404,
      body: () => fixture('hashlookup', 'not-found.json'),
    },
  ]);
  // Every request fails: a target nobody can answer.
  down = await startFakeVendor([{ path: /.*/, status: 503, body: '{}' }]);
  dir = tempDir('ti-check-e2e-formats-');
  writeFileSync(join(dir, 'eicar.com'), EICAR);
  writeFileSync(join(dir, 'hello, "world".txt'), CLEAN);
});
afterAll(async () => {
  await vendor.close();
  await down.close();
});

const env = (base = vendor.url) =>
  isolatedEnv({
    TI_CHECK_VIRUSTOTAL_URL: `${base}/vt`,
    TI_CHECK_VIRUSTOTAL_KEY: KEY,
    TI_CHECK_HASHLOOKUP_URL: `${base}/hashlookup`,
  });
const files = ['eicar.com', 'hello, "world".txt'];

describe('ti-check formats and gate (built binary)', () => {
  it('--format sarif --output: exit 1, stdout clean, the file is valid SARIF 2.1.0', async () => {
    const out = tempDir('ti-check-e2e-out-');
    const sarifPath = join(out, 'ti-check.sarif');
    const { code, stdout, stderr } = await runBin(
      [...files, SERVICES, '--format', 'sarif', '-o', sarifPath],
      {
        env: env(),
        cwd: dir,
      },
    );
    // stdout clean; stderr names the file that failed the gate.
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(/^ti-check: 1 of 2 targets malicious: eicar\.com \(VirusTotal 53\/62[^\n]*\)\n$/);
    expect(readdirSync(out)).toEqual(['ti-check.sarif']);
    const log = JSON.parse(readFileSync(sarifPath, 'utf8'));
    expect(sarifErrors(log)).toEqual([]);
    const results = log.runs[0].results;
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      ruleId: 'ti-check/malicious',
      level: 'error',
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'eicar.com', uriBaseId: '%SRCROOT%', index: 0 } } },
      ],
    });
    expect(log.runs[0].artifacts[0].hashes['sha-256']).toBe(EICAR_HASHES[2]);
    expect(readFileSync(sarifPath, 'utf8')).not.toContain(KEY);
  });

  it('--json and --ndjson validate against schemas/report.schema.json, with a reason per verdict', async () => {
    const json = await runBin([...files, SERVICES, '--json'], { env: env(), cwd: dir });
    const report = JSON.parse(json.stdout);
    expect(reportErrors(report)).toEqual([]);
    expect(
      report.results.map((r: { verdict: string; reason: { rule: string } }) => [r.verdict, r.reason.rule]),
    ).toEqual([
      ['malicious', 'worst-service'],
      ['undetected', 'worst-service'],
    ]);
    expect(report.results[0].services[0].reason.rule).toBe('engine-threshold');
    const ndjson = await runBin([...files, SERVICES, '--ndjson'], { env: env(), cwd: dir });
    expect(ndjson.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(ndjsonErrors(ndjson.stdout)).toEqual([]);
  });

  it('exit codes: --fail-on none 0, --allow 0, no answer 3, fail closed 1', async () => {
    expect((await runBin([...files, SERVICES, '--fail-on', 'none'], { env: env(), cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'allow.txt'), `${EICAR_HASHES[0]} EICAR test file, expected in this repo\n`);
    const allowed = await runBin([...files, SERVICES, '--allow', 'allow.txt', '--format', 'markdown'], {
      env: env(),
      cwd: dir,
    });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('EICAR test file, expected in this repo');
    const unanswered = await runBin(['eicar.com', SERVICES, '--timeout', '2'], {
      env: env(down.url),
      cwd: dir,
    });
    expect([unanswered.code, unanswered.stderr]).toEqual([
      3,
      'ti-check: no service could answer for eicar.com\n',
    ]);
    const closed = await runBin(['eicar.com', SERVICES, '--fail-on-incomplete'], {
      env: env(down.url),
      cwd: dir,
    });
    expect(closed.code).toBe(1);
  });
});
