/**
 * End to end, the daily surface with the built binary: `init` writes the starter config into a
 * fresh config dir, `doctor` reads it back and asks a local fake vendor with one good and one
 * rejected key; `completion` prints scripts each shell accepts, and bash completes a service id.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../../src/services/index.js';
import { type FakeVendor, startFakeVendor } from '../helpers/fake-vendor.js';
import { assertBuilt, isolatedEnv, runBin } from '../helpers/run-bin.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fixture } from '../http-mock.js';

const GOOD = 'good-e2e-key-0123456789';
const BAD = 'revoked-e2e-key-9876543210';
const EICAR_SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';

let vendor: FakeVendor;
beforeAll(async () => {
  assertBuilt();
  vendor = await startFakeVendor([
    // VirusTotal's quota endpoint (doctor's probe for it) answers the good key; ThreatFox, which has
    // none, is asked for the EICAR hash and answers abuse.ch's bad-key status to any key but the good one.
    {
      path: `/vt/api/v3/users/${GOOD}/overall_quotas`,
      body: () => fixture('virustotal', 'overall-quotas.json'),
    },
    {
      method: 'POST',
      path: '/threatfox/api/v1/',
      body: (req) =>
        req.headers['auth-key'] === GOOD
          ? fixture('threatfox', 'not-found.json')
          : '{"query_status":"unknown_auth_key"}',
    },
  ]);
});
afterAll(() => vendor.close());

describe('init, then doctor (built binary)', () => {
  it('init writes the config the search finds; doctor passes the good key and names the rejected one', async () => {
    const env = isolatedEnv();
    const init = await runBin(['init'], { env });
    const file = join(env.XDG_CONFIG_HOME as string, 'ti-check', 'config.json');
    expect(init).toMatchObject({ code: 0, stderr: '' });
    expect(init.stdout).toContain(`wrote ${file}\n`);
    // As a user would: switch off the services that need no key (this test has no network).
    let text = readFileSync(file, 'utf8');
    for (const service of SERVICES.filter((s) => s.auth.key !== 'required')) {
      text = text.replace(`"${service.id}": { "enabled": true`, `"${service.id}": { "enabled": false`);
    }
    writeFileSync(file, text);
    expect((await runBin(['init'], { env })).code).toBe(2);

    const withKeys = {
      ...env,
      TI_CHECK_VIRUSTOTAL_URL: `${vendor.url}/vt`,
      TI_CHECK_VIRUSTOTAL_KEY: GOOD,
      TI_CHECK_THREATFOX_URL: `${vendor.url}/threatfox`,
      TI_CHECK_THREATFOX_KEY: BAD,
    };
    const before = vendor.requests.length;
    const doctor = await runBin(['doctor', '--timeout', '5'], { env: withKeys });
    expect(doctor.stderr).toBe('');
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(`config    ${file} (mode 0600)\n`);
    expect(doctor.stdout).toMatch(
      /^ {2}OK +VirusTotal +key accepted in \d+ ms · quota: 3 of 240 used this hour \(237 left\), 142 of 500 used today \(358 left\), 1200 of 15500 used this month \(14300 left\)$/m,
    );
    expect(doctor.stdout).toMatch(
      /^ {2}REJECTED KEY +ThreatFox +ThreatFox rejected the API key: check TI_CHECK_THREATFOX_KEY$/m,
    );
    expect(doctor.stdout).toContain(
      'fix: check TI_CHECK_THREATFOX_KEY for a typo, a revoked key or a plan without API access; a new key at https://auth.abuse.ch/',
    );
    expect(doctor.stdout).toMatch(/switched off in config: hashlookup, inquest, cymru, cape, filescan\n/);
    expect(doctor.stdout).toMatch(/1 of 2 services failed\n$/);
    expect(doctor.stdout).not.toContain(GOOD);
    expect(doctor.stdout).not.toContain(BAD);
    // One request each: VirusTotal's quota, ThreatFox's lookup of the EICAR test file's hash.
    const made = vendor.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(made.sort()).toEqual([`GET /vt/api/v3/users/${GOOD}/overall_quotas`, 'POST /threatfox/api/v1/']);
    // (The two go out at once, in no set order.)
    const lookup = vendor.requests.slice(before).find((r) => r.path === '/threatfox/api/v1/');
    expect(lookup?.body ?? '').toContain(EICAR_SHA256);

    // With the rejected key gone, everything configured works: exit 0.
    const { TI_CHECK_THREATFOX_KEY: _, ...goodOnly } = withKeys;
    const fixed = await runBin(['doctor', '--timeout', '5'], { env: goodOnly });
    expect(fixed.stdout).toMatch(/1 of 1 service OK\n$/);
    expect(fixed.code).toBe(0);
    // Five runs of the binary: room for a loaded CI machine.
  }, 60_000);
});

describe('completion (built binary)', () => {
  const has = (shell: string) => ['/bin', '/usr/bin'].some((dir) => existsSync(join(dir, shell)));

  it('prints scripts bash -n, zsh -n and fish -n accept; the bash one completes a service id', async () => {
    const dir = tempDir('ti-check-e2e-completion-');
    for (const [shell, check] of [
      ['bash', ['-n']],
      ['zsh', ['-n']],
      ['fish', ['--no-execute']],
    ] as const) {
      const { code, stdout, stderr } = await runBin(['completion', shell]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const file = join(dir, `ti-check.${shell}`);
      writeFileSync(file, stdout);
      if (!has(shell) && !process.env.CI) continue;
      const result = spawnSync(shell, [...check, file], { encoding: 'utf8' });
      expect({ shell, status: result.status, stderr: result.stderr }).toEqual({
        shell,
        status: 0,
        stderr: '',
      });
    }
    const bash = spawnSync(
      'bash',
      [
        '-c',
        `source ${join(dir, 'ti-check.bash')}; COMP_WORDS=(ti-check --services hashl); COMP_CWORD=2; _ti_check; echo "\${COMPREPLY[@]}"`,
      ],
      { encoding: 'utf8' },
    );
    expect(bash.stdout).toBe('hashlookup\n');
  }, 60_000);
});
