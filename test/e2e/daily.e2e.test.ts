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
    // ThreatFox answers its recorded miss to the good key, and abuse.ch's bad-key status to any other.
    {
      method: 'POST',
      path: '/threatfox/api/v1/',
      body: (req) =>
        req.headers['auth-key'] === GOOD
          ? fixture('threatfox', 'not-found.json')
          : '{"query_status":"unknown_auth_key"}',
    },
    // VirusTotal's recorded answer to a wrong key.
    { path: /^\/vt\/api\/v3\/files\//, status: 401, body: () => fixture('virustotal', 'wrong-key.json') },
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
      TI_CHECK_THREATFOX_URL: `${vendor.url}/threatfox`,
      TI_CHECK_THREATFOX_KEY: GOOD,
      TI_CHECK_VIRUSTOTAL_URL: `${vendor.url}/vt`,
      TI_CHECK_VIRUSTOTAL_KEY: BAD,
    };
    const before = vendor.requests.length;
    const doctor = await runBin(['doctor', '--timeout', '5'], { env: withKeys });
    expect(doctor.stderr).toBe('');
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(`config    ${file} (mode 0600)\n`);
    expect(doctor.stdout).toMatch(
      /^ {2}OK +ThreatFox +answered in \d+ ms \(does not know the EICAR test file\)$/m,
    );
    expect(doctor.stdout).toMatch(
      /^ {2}REJECTED KEY +VirusTotal +VirusTotal rejected the API key \(HTTP 401\): check TI_CHECK_VIRUSTOTAL_KEY$/m,
    );
    expect(doctor.stdout).toContain('fix: check TI_CHECK_VIRUSTOTAL_KEY for a typo, a revoked key or a plan');
    expect(doctor.stdout).toMatch(/switched off in config: hashlookup, inquest, cymru, cape, filescan\n/);
    expect(doctor.stdout).toMatch(/1 of 2 services failed\n$/);
    expect(doctor.stdout).not.toContain(GOOD);
    expect(doctor.stdout).not.toContain(BAD);
    // One request each, for the EICAR test file's hash, and nothing else.
    const made = vendor.requests.slice(before);
    expect(made).toHaveLength(2);
    expect(made.every((r) => `${r.path}${r.body}`.includes(EICAR_SHA256))).toBe(true);

    // With the rejected key gone, everything configured works: exit 0.
    const { TI_CHECK_VIRUSTOTAL_KEY: _, ...goodOnly } = withKeys;
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
