/**
 * End to end: plugin services with the built binary. The README's example plugin
 * (examples/plugins/internal-reputation.mjs, that exact file) answers from a local fake of the
 * internal service it is written for, next to broken plugins that must each cost one stderr line.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envReferenceTo } from '../../src/config/env-refs.js';
import type { CatalogueRow } from '../../src/model/catalogue.js';
import type { Report } from '../../src/model/report.js';
import { type FakeVendor, startFakeVendor } from '../helpers/fake-vendor.js';
import { reportErrors } from '../helpers/report-schema.js';
import { assertBuilt, isolatedEnv, runBin } from '../helpers/run-bin.js';
import { fixture } from '../http-mock.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/plugins/internal-reputation.mjs', import.meta.url));
const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const KEY = 'intrep-key-0123456789';
const OTHER_KEY = 'other-key-9876543210';
const TEAM_KEY = 'team-otx-key-5555555555';
const EMOTET = 'e1'.repeat(32);
const EMOTET_MD5 = 'e1'.repeat(16);
const UNKNOWN = 'ab'.repeat(32);
const TAIL = '(left out; the other services still run)';

let vendor: FakeVendor;

beforeAll(async () => {
  assertBuilt();
  vendor = await startFakeVendor([
    // The internal service: one known file, a 404 of its own for anything else.
    {
      path: `/intrep/api/v1/files/sha256/${EMOTET}`,
      body: JSON.stringify({
        sha256: EMOTET,
        md5: EMOTET_MD5,
        verdict: 'malicious',
        score: 97,
        family: 'emotet',
        tags: ['loader'],
      }),
    },
    { path: /^\/intrep\/api\/v1\/files\//, status: 404, body: '{"error":"not_found"}' },
    // The same service refusing the key.
    { path: /^\/denied\//, status: 401, body: '{"error":"bad key"}' },
    { path: /^\/hashlookup\/lookup\//, status: 404, body: () => fixture('hashlookup', 'not-found.json') },
  ]);
});
afterAll(() => vendor.close());

/** A home whose config folder holds the example plugin and `extra` plugin files. */
function home(extra: Record<string, string> = {}, vars: Record<string, string> = {}) {
  const env = isolatedEnv({
    TI_CHECK_INTREP_KEY: KEY,
    TI_CHECK_INTREP_URL: `${vendor.url}/intrep`,
    TI_CHECK_HASHLOOKUP_URL: `${vendor.url}/hashlookup`,
    TI_CHECK_VIRUSTOTAL_KEY: OTHER_KEY,
    ...vars,
  });
  const dir = join(env.XDG_CONFIG_HOME as string, 'ti-check', 'services');
  mkdirSync(dir, { recursive: true });
  copyFileSync(EXAMPLE, join(dir, 'internal-reputation.mjs'));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  return { env, dir };
}

function parseReport(stdout: string): Report {
  const report = JSON.parse(stdout) as Report;
  expect(reportErrors(report)).toEqual([]);
  return report;
}

describe('plugin services (built binary)', () => {
  it("the README's example plugin is examples/plugins/internal-reputation.mjs, word for word", () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf('```js\n// A ti-check plugin for an in-house reputation service.');
    expect(start).toBeGreaterThan(0);
    const block = readme.slice(start + '```js\n'.length, readme.indexOf('\n```', start) + 1);
    expect(block).toBe(readFileSync(EXAMPLE, 'utf8'));
  });

  it('answers through the example plugin; a broken plugin next to it is one line, and the others still run', async () => {
    const { env, dir } = home({
      'broken.mjs': 'export default {\n',
      'virustotal.mjs': 'export default ({ defineService }) => defineService({ id: "virustotal" });',
    });
    const { code, stdout, stderr } = await runBin(
      ['--hash', EMOTET, '--hash', UNKNOWN, '--services', 'intrep,hashlookup', '--json'],
      { env },
    );
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      `ti-check: plugin ${join(dir, 'broken.mjs')}: SyntaxError: Unexpected end of input ${TAIL}`,
      `ti-check: plugin ${join(dir, 'virustotal.mjs')}: "virustotal" is already the built-in service VirusTotal: pick another id or alias ${TAIL}`,
      `ti-check: 1 of 2 targets malicious: ${EMOTET} (Internal reputation score 97/100)`,
    ]);
    expect(code).toBe(1);
    const [emotet, unknown] = parseReport(stdout).results;
    expect(emotet?.verdict).toBe('malicious');
    expect(emotet?.target.md5).toBe(EMOTET_MD5);
    expect(emotet?.services).toMatchObject([
      {
        service: 'intrep',
        status: 'found',
        verdict: 'malicious',
        summary: 'malicious · family: emotet',
        entries: [
          {
            name: 'Internal reputation',
            category: 'malicious',
            detail: 'score 97/100 · emotet · tags: loader',
          },
        ],
        link: `https://reputation.corp.example/ui/files/${EMOTET}`,
      },
      { service: 'hashlookup', status: 'not_found' },
    ]);
    expect(unknown?.services.map((s) => [s.service, s.status])).toEqual([
      ['intrep', 'not_found'],
      ['hashlookup', 'not_found'],
    ]);
    // The plugin's requests went through ti-check's HTTP client with its key, and only its key.
    const asked = vendor.requests.filter((r) => r.path.startsWith('/intrep/'));
    expect(asked.map((r) => r.headers['x-api-key'])).toEqual([KEY, KEY]);
    expect(asked[0]?.headers['user-agent']).toMatch(/^ti-check\//);
    expect(stdout + stderr).not.toContain(KEY);
    expect(stdout + stderr).not.toContain(OTHER_KEY);
  });

  it("mixes the kit's helpers with the kit's zod: found, and a wrong answer is a bad_response naming the field", async () => {
    // In the built binary the kit's `z` is a separate copy of zod (its own chunk) while `loose` and
    // `listOrEmpty` are built on the bundle's: a plugin's schema holds both.
    const mixed = `export default ({ defineService, z, loose, listOrEmpty }) => {
  const record = z.object({ verdict: z.enum(['malicious', 'clean']), family: loose(z.string()), tags: listOrEmpty(z.string()) });
  return defineService({
    id: 'mixed', displayName: 'Mixed', kind: 'reputation', hashTypes: ['sha256'], auth: { key: 'none' },
    baseUrl: 'https://mixed.example', rateLimit: { requests: 10, perSeconds: 1 },
    async lookup(hash, ctx) {
      const file = (await ctx.http.request({ path: '/api/v1/files/sha256/' + hash.value, accept: [404] })).decode(record);
      const detail = [file.family, ...file.tags].filter(Boolean).join(' ') || null;
      return { verdict: file.verdict, entries: [{ name: 'Mixed', category: file.verdict, detail }] };
    },
  });
};`;
    const { env } = home({ 'mixed.mjs': mixed }, { TI_CHECK_MIXED_URL: `${vendor.url}/intrep` });
    const found = await runBin(['--hash', EMOTET, '--services', 'mixed', '--json'], { env });
    expect(found.code).toBe(1);
    expect(parseReport(found.stdout).results[0]?.services[0]).toMatchObject({
      status: 'found',
      entries: [{ name: 'Mixed', category: 'malicious', detail: 'emotet loader' }],
    });
    // The 404 body ({"error":"not_found"}) has no verdict: the plugin copy's ZodError is read as
    // any other failed decode, naming the field.
    const wrong = await runBin(['--hash', UNKNOWN, '--services', 'mixed', '--json'], { env });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
    const row = JSON.parse(wrong.stdout).results[0].services[0];
    expect(row.status).toBe('error');
    expect(row.error.code).toBe('bad_response');
    expect(row.error.message).toContain('verdict');
  });

  it('a rejected key reads as for a built-in service: one red row naming the variable, exit 3', async () => {
    const { env } = home({}, { TI_CHECK_INTREP_URL: `${vendor.url}/denied` });
    const { code, stdout, stderr } = await runBin(['--hash', EMOTET, '--services', 'intrep', '--json'], {
      env,
    });
    expect(code).toBe(3);
    const [row] = parseReport(stdout).results[0]?.services ?? [];
    expect(row?.error).toEqual({
      code: 'auth',
      message: 'Internal reputation rejected the API key (HTTP 401): check TI_CHECK_INTREP_KEY',
    });
    expect(stderr).not.toContain('unknown environment variable');
    expect(stdout + stderr).not.toContain(KEY);
  });

  it('is listed in `ti-check services` as a plugin with its file, and can come from the config instead', async () => {
    const { env, dir } = home();
    const json = await runBin(['services', '--json'], { env });
    expect(json.code).toBe(0);
    const rows = (JSON.parse(json.stdout) as { services: CatalogueRow[] }).services;
    expect(rows.find((r) => r.id === 'intrep')).toMatchObject({
      name: 'Internal reputation',
      kind: 'reputation',
      ready: true,
      plugin: join(dir, 'internal-reputation.mjs'),
    });
    expect(rows.find((r) => r.id === 'virustotal')?.plugin).toBeNull();
    const table = await runBin(['services'], { env });
    // On its own line when the path is long; the kind follows.
    expect(table.stdout).toMatch(/intrep {2,}Internal reputation/);
    expect(table.stdout).toContain(`plugin ${join(dir, 'internal-reputation.mjs')}`);

    // No folder plugin this time: the config lists the file and holds the key and URL.
    const bare = isolatedEnv();
    const config = join(bare.HOME as string, 'ti-check.json');
    writeFileSync(
      config,
      JSON.stringify({
        plugins: [EXAMPLE],
        services: { intrep: { apiKey: KEY, baseUrl: `${vendor.url}/intrep` } },
      }),
    );
    const run = await runBin(['--hash', EMOTET, '--services', 'intrep', '--json', '--config', config], {
      env: bare,
    });
    expect(run.stderr).toBe(
      `ti-check: 1 of 1 target malicious: ${EMOTET} (Internal reputation score 97/100)\n`,
    );
    expect(parseReport(run.stdout).results[0]?.services[0]?.status).toBe('found');
  });

  it("never sees another service's key: not in its kit, its context or process.env", async () => {
    const { env } = home(
      {
        'snoop.mjs': `
const atImport = [process.env.TI_CHECK_VIRUSTOTAL_KEY, process.env.TEAM_OTX_KEY].some(Boolean) ? 'present' : 'absent';
export default (kit) => kit.defineService({
  id: 'snoop', displayName: 'Snoop', kind: 'reputation', hashTypes: ['sha256'],
  auth: { key: 'optional' }, baseUrl: 'https://snoop.example.test', rateLimit: { requests: 9, perSeconds: 1 },
  async lookup(hash, ctx) {
    const seen = JSON.stringify({ kit: Object.keys(kit), ctx: Object.keys(ctx), state: [...ctx.state.keys()] });
    const found = [process.env.TI_CHECK_VIRUSTOTAL_KEY, process.env.TI_CHECK_INTREP_KEY, process.env.TEAM_OTX_KEY].some(Boolean)
      || seen.includes('${OTHER_KEY}') || seen.includes('${TEAM_KEY}');
    return { verdict: 'clean', entries: [{ name: 'probe', category: 'clean',
      detail: [atImport, found ? 'env:present' : 'env:absent', 'own:' + (ctx.apiKey === undefined ? 'none' : 'set')].join(' ') }] };
  },
});`,
      },
      { TEAM_OTX_KEY: TEAM_KEY },
    );
    // A key the config names by reference (`${TEAM_OTX_KEY}`) is hidden from plugins as well.
    const config = join(env.HOME as string, 'team.json');
    writeFileSync(config, JSON.stringify({ services: { otx: { apiKey: envReferenceTo('TEAM_OTX_KEY') } } }));
    const { stdout } = await runBin(
      ['--hash', UNKNOWN, '--services', 'snoop', '--json', '--config', config],
      { env },
    );
    const [row] = parseReport(stdout).results[0]?.services ?? [];
    expect(row?.entries[0]?.detail).toBe('absent env:absent own:none');
  });
});
