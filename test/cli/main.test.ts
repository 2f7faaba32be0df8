import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Report } from '../../src/model/report.js';
import { fakeIo } from '../helpers/fake-io.js';
import { engines, failing, fakeService } from '../helpers/fake-services.js';
import { tempDir } from '../helpers/temp-dir.js';

const EICAR_MD5 = '44d88612fea8a8f36de82e1278abb02f';
const EICAR_SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
const isEicar = (value: string) => value === EICAR_MD5 || value === EICAR_SHA256;
const CLEAN_SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const emptyDir = () => tempDir('ti-check-cli-');

// A malicious multi-engine service, a known-good list and a sandbox that only knows EICAR.
const registry = [
  fakeService('engines', (h) =>
    isEicar(h.value) ? { entries: engines(5, 1, 10) } : { entries: engines(0, 2, 10) },
  ),
  fakeService('goodlist', (h) => (h.value === CLEAN_SHA1 ? { entries: [], verdict: 'clean' } : null), {
    kind: 'known-good',
  }),
  fakeService('keyed', () => null, { auth: { key: 'required' } }),
];

async function run(args: string, env: NodeJS.ProcessEnv = {}, reg = registry) {
  const io = fakeIo({
    env: { XDG_CONFIG_HOME: emptyDir(), XDG_CACHE_HOME: emptyDir(), ...env },
    cwd: emptyDir(),
  });
  const code = await main(args.split(' ').filter(Boolean), io, reg);
  return { code, out: io.out(), err: io.err(), opened: io.opened };
}

describe('ti-check CLI', () => {
  it('--json prints exactly the schemaVersion 1 report and exits 1 on a malicious file', async () => {
    const { code, out, err } = await run(`--hash ${EICAR_MD5} --json`);
    expect(code).toBe(1);
    expect(err).toBe(`ti-check: 1 of 1 target malicious: ${EICAR_MD5} (ENGINES 5/16)\n`);
    const report = JSON.parse(out) as Report;
    expect(report.schemaVersion).toBe(1);
    expect(report.results[0]?.target).toEqual({
      path: null,
      size: null,
      md5: EICAR_MD5,
      sha1: null,
      sha256: null,
    });
    expect(report.results[0]?.verdict).toBe('malicious');
    expect(report.results[0]?.services.map((s) => [s.service, s.status, s.verdict])).toEqual([
      ['engines', 'found', 'malicious'],
      ['goodlist', 'not_found', null],
      ['keyed', 'disabled', null],
    ]);
    expect(report.results[0]?.services[0]?.stats).toEqual({
      malicious: 5,
      suspicious: 0,
      clean: 1,
      undetected: 10,
      total: 16,
    });
  });

  it('--fail-on none never trips; --fail-on suspicious lowers the bar', async () => {
    expect((await run(`--hash ${EICAR_MD5} --json --fail-on none`)).code).toBe(0);
    const suspicious = [
      fakeService('box', () => ({ entries: [], verdict: 'suspicious' }), { kind: 'sandbox' }),
    ];
    expect((await run(`--hash ${EICAR_MD5}`, {}, suspicious)).code).toBe(0);
    expect((await run(`--hash ${EICAR_MD5} --fail-on suspicious`, {}, suspicious)).code).toBe(1);
  });

  it('exits 3 when every service that could answer failed', async () => {
    const { code, err } = await run(`--hash ${EICAR_MD5}`, {}, [
      failing('down'),
      fakeService('keyed', () => null, { auth: { key: 'required' } }),
    ]);
    expect(code).toBe(3);
    // A 401 from a service without a key: asked no more this run, and one line says what to do.
    expect(err).toBe(
      `ti-check: no service could answer for ${EICAR_MD5}\n` +
        'ti-check: down: DOWN refused the request (HTTP 401): it may need a key (TI_CHECK_DOWN_KEY)\n',
    );
  });

  it('exits 0 with a clean verdict for a known-good file', async () => {
    const { code, out, err } = await run(`--hash ${CLEAN_SHA1}`);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('verdict  CLEAN');
  });

  it('hashes files and prints a plain table when stdout is not a TTY', async () => {
    const dir = emptyDir();
    const file = join(dir, 'eicar.com');
    writeFileSync(file, 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');
    const { code, out } = await run(file);
    expect(code).toBe(1);
    expect(out).not.toContain('\u001b[');
    expect(out).toContain(`md5      ${EICAR_MD5}`);
    expect(out).toContain('verdict  MALICIOUS');
    expect(out).toContain('5/16 engines: malicious');
    // Compact: services not asked collapse into one line; clean and undetected engines are counted.
    expect(out).toContain('1 service needs a key (ti-check services): KEYED');
    expect(out).toMatch(/│ {3}1 clean · 10 undetected +│ +│ --all lists them/);
  });

  it('--services limits the run; an unknown id is an input error listing valid ids', async () => {
    const only = await run(`--hash ${EICAR_MD5} --json --services goodlist`);
    expect((JSON.parse(only.out) as Report).results[0]?.services.map((s) => s.service)).toEqual(['goodlist']);
    const bad = await run(`--hash ${EICAR_MD5} --services nope`);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('ti-check: unknown service "nope" (valid: engines, goodlist, keyed)\n');
    expect(bad.out).toBe('');
  });

  it('--services and --ignore-services take ids in any case, aliases, and suggest for a typo', async () => {
    const aliased = [...registry.slice(0, 2), fakeService('virustotal', () => null, { aliases: ['vt'] })];
    const only = await run(`--hash ${EICAR_MD5} --json --services GoodList,VT,virustotal`, {}, aliased);
    expect((JSON.parse(only.out) as Report).results[0]?.services.map((s) => s.service)).toEqual([
      'goodlist',
      'virustotal',
    ]);
    const typo = await run(`--hash ${EICAR_MD5} --services virustotl`, {}, aliased);
    expect(typo.code).toBe(2);
    expect(typo.err).toBe(`ti-check: unknown service "virustotl" (did you mean 'virustotal'?)\n`);
    const ignored = await run(`--hash ${EICAR_MD5} --json --ignore-services ENGINES`, {}, aliased);
    expect(ignored.code).toBe(0);
    const badIgnore = await run(`--hash ${EICAR_MD5} --ignore-services engins`, {}, aliased);
    expect(badIgnore.code).toBe(2);
    expect(badIgnore.err).toBe(`ti-check: unknown ignored service "engins" (did you mean 'engines'?)\n`);
  });

  it('bad input is one line on stderr and exit 2, never a stack', async () => {
    for (const args of [
      '--hash xyz',
      '',
      '/no/such/file',
      '--bogus-flag',
      `--timeout 0 --hash ${EICAR_MD5}`,
      '--fail-on maybe',
    ]) {
      const { code, err, out } = await run(args);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(err.trim().split('\n')[0]).toMatch(/^ti-check: /);
      expect(err).not.toMatch(/\n\s+at /);
      expect(out).toBe('');
    }
  });

  it('says what is wrong with an argument in one line of its own words', async () => {
    const hint = ' (see ti-check --help)\n';
    // Exactly one line each: the hint rides on it.
    const cases: Array<[string, string]> = [
      ['--fail-on maybe', 'ti-check: --fail-on: "maybe" is not one of malicious, suspicious, none'],
      [
        '--format xml',
        'ti-check: --format: "xml" is not one of table, json, ndjson, csv, sarif, markdown, html',
      ],
      [`--hash ${EICAR_MD5} --timeout`, 'ti-check: --timeout: needs a value'],
      ['--hash', 'ti-check: --hash: needs a value'],
      ['cache', 'ti-check: cache: which one? stats, clear or prune'],
      ['cache tidy', 'ti-check: cache: "tidy" is not one of stats, clear, prune'],
    ];
    for (const [args, message] of cases) {
      const { code, err, out } = await run(args);
      expect({ args, code, err }).toEqual({ args, code: 2, err: message + hint });
      expect(out).toBe('');
    }
    const none = await run(`--hash ${EICAR_MD5} --services ,`);
    expect(none.code).toBe(2);
    expect(none.err).toBe('ti-check: --services names no service (valid: engines, goodlist, keyed)\n');
  });

  it('a mistyped flag, command or choice says what was meant, in one line without the help hint', async () => {
    const dir = emptyDir();
    const cases: Array<[string, string]> = [
      [`--servics goodlist --hash ${EICAR_MD5}`, 'unknown option --servics (did you mean --services?)'],
      [`--hash ${EICAR_MD5} --servics=goodlist`, 'unknown option --servics (did you mean --services?)'],
      [`--hash ${EICAR_MD5} --no-cach`, 'unknown option --no-cach (did you mean --no-cache?)'],
      ['services --jsn', 'unknown option --jsn (did you mean --json?)'],
      ['cache stats --jsn', 'unknown option --jsn (did you mean --json?)'],
      ['servces', `unknown command "servces" (did you mean 'ti-check services'?)`],
      ['cahce stats', `unknown command "cahce" (did you mean 'ti-check cache'?)`],
      ['qouta', `unknown command "qouta" (did you mean 'ti-check quota'?)`],
      ['cache prnue', `cache: "prnue" is not one of stats, clear, prune (did you mean 'prune'?)`],
      [
        '--format jsn',
        `--format: "jsn" is not one of table, json, ndjson, csv, sarif, markdown, html (did you mean 'json'?)`,
      ],
    ];
    for (const [args, message] of cases) {
      const { code, err, out } = await run(args.replace('DIR', dir));
      expect({ args, code, err }).toEqual({ args, code: 2, err: `ti-check: ${message}\n` });
      expect(out).toBe('');
    }
    // Nothing near enough, or a single letter: no guess, the help hint instead.
    const hint = ' (see ti-check --help)\n';
    expect((await run('--bogus-flag')).err).toBe(`ti-check: unknown option --bogus-flag${hint}`);
    expect((await run('-x')).err).toBe(`ti-check: unknown option -x${hint}`);
    expect((await run('-o')).err).toBe(`ti-check: -o: needs a value${hint}`);
    expect((await run('services extra')).err).toBe(`ti-check: unexpected argument "extra"${hint}`);
  });

  it('a near miss of a command that names an existing file is taken as a file', async () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'servces'), 'X5O!P%@AP');
    const io = fakeIo({ env: { XDG_CONFIG_HOME: emptyDir(), XDG_CACHE_HOME: emptyDir() }, cwd: dir });
    await main(['servces', '--json'], io, registry);
    expect(io.err()).not.toMatch(/unknown command/);
  });

  it('a list option takes one value per flag: the word after it is a file, not a second service', async () => {
    const dir = emptyDir();
    const file = join(dir, 'sample.bin');
    writeFileSync(file, 'X5O!P%@AP');
    const { code, out, err } = await run(`--services goodlist ${file} --json`);
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out) as Report;
    expect(report.results.map((r) => r.target.path)).toEqual([file]);
    expect(report.results[0]?.services.map((s) => s.service)).toEqual(['goodlist']);
  });

  it('says so when the inputs held nothing to check (an empty directory), and exits 0', async () => {
    const { code, out, err } = await run(`${emptyDir()} --json`);
    expect(code).toBe(0);
    expect((JSON.parse(out) as Report).results).toEqual([]);
    expect(err).toBe('ti-check: nothing was checked: the inputs held no regular file or hash to look up\n');
  });

  it('uses the key from the environment and never prints it', async () => {
    const key = 'env-secret-key-123456';
    const leaky = [
      fakeService('keyed', () => Promise.reject(new Error(`vendor said: bad key ${key}`)), {
        auth: { key: 'required' },
      }),
    ];
    const { out } = await run(`--hash ${EICAR_MD5} --json`, { TI_CHECK_KEYED_KEY: key }, leaky);
    expect(out).not.toContain(key);
    expect((JSON.parse(out) as Report).results[0]?.services[0]?.error?.message).toBe(
      'vendor said: bad key ***',
    );
  });

  it('--open opens the page of every service that found the file', async () => {
    const { opened } = await run(`--hash ${EICAR_MD5} --open`);
    expect(opened).toEqual([`https://engines.example.test/file/${EICAR_MD5}`]);
  });

  it('--open works with a streaming format: --ndjson prints each target and opens its pages', async () => {
    const { code, out, err, opened } = await run(`--hash ${EICAR_MD5} --hash ${CLEAN_SHA1} --open --ndjson`);
    expect(code).toBe(1);
    expect(out.trim().split('\n')).toHaveLength(2);
    expect(opened).toEqual([
      `https://engines.example.test/file/${EICAR_MD5}`,
      `https://engines.example.test/file/${CLEAN_SHA1}`,
      `https://goodlist.example.test/file/${CLEAN_SHA1}`,
    ]);
    expect(err).toBe(`ti-check: 1 of 2 targets malicious: ${EICAR_MD5} (ENGINES 5/16)\n`);
  });

  it('--open opens at most 10 pages, and a machine without a browser only gets a warning', async () => {
    const hashes = Array.from({ length: 12 }, (_, i) => i.toString(16).padStart(32, '0'));
    const many = await run(`${hashes.map((h) => `--hash ${h}`).join(' ')} --open --json`);
    expect(many.opened).toHaveLength(10);
    expect(many.err).toBe(
      'ti-check: --open: opened the first 10 of 12 pages; the others are in the report\n',
    );

    const io = fakeIo({ env: { XDG_CONFIG_HOME: emptyDir(), XDG_CACHE_HOME: emptyDir() }, cwd: emptyDir() });
    io.openUrl = async () => {
      throw new Error('spawn xdg-open ENOENT');
    };
    const code = await main(['--hash', EICAR_MD5, '--open', '--json'], io, registry);
    expect(code).toBe(1);
    expect((JSON.parse(io.out()) as Report).results[0]?.verdict).toBe('malicious');
    expect(io.err()).toBe(
      'ti-check: --open: no browser could be started (spawn xdg-open ENOENT); the links are in the report\n' +
        `ti-check: 1 of 1 target malicious: ${EICAR_MD5} (ENGINES 5/16)\n`,
    );
  });

  it('--help shows examples and --version the package version', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Examples:');
    expect(help.out).toContain('--fail-on');
    const version = await run('--version');
    expect(version.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('ti-check services', () => {
  it('lists every service with kind, key, readiness, hash types and rate limit', async () => {
    const { code, out } = await run('services --json', { TI_CHECK_KEYED_KEY: 'k-123456' });
    expect(code).toBe(0);
    const { services } = JSON.parse(out) as { services: Array<Record<string, unknown>> };
    expect(services.map((s) => [s.id, s.kind, s.key, s.ready])).toEqual([
      ['engines', 'multi-engine', 'none', true],
      ['goodlist', 'known-good', 'none', true],
      ['keyed', 'multi-engine', 'required', true],
    ]);
    expect(services[0]).toMatchObject({
      hashTypes: ['sha256', 'sha1', 'md5'],
      rateLimit: { requests: 1000, perSeconds: 60 },
    });
  });

  it('says which services need a key in the table', async () => {
    const { out } = await run('services');
    expect(out).toMatch(
      /Need a key .*\n {2}keyed +KEYED +sha256 sha1 md5 +1000\/min\n +multi-engine · set TI_CHECK_KEYED_KEY · docs /,
    );
    expect(out).toContain('1000/min');
  });
});
