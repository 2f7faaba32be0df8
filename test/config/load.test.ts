import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { serviceNames } from '../../src/config/service-names.js';
import { ConfigError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

const ids = ['virustotal', 'hashlookup'];
function project(files: Record<string, string>): string {
  const dir = tempDir('ti-check-config-');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
// An empty XDG_CONFIG_HOME keeps the developer's own config out of the tests.
const env = (extra: Record<string, string> = {}) => ({
  XDG_CONFIG_HOME: project({}),
  HOME: project({}),
  ...extra,
});

describe('loadConfig', () => {
  it('has defaults when there is no config at all', async () => {
    const { config, filepath } = await loadConfig({ cwd: project({}), env: env(), serviceIds: ids });
    expect(filepath).toBeNull();
    expect(config).toEqual({ services: {}, policy: { minMaliciousEngines: 3 }, timeout: 20 });
  });

  it('finds .ti-checkrc.json in the working directory', async () => {
    const cwd = project({
      '.ti-checkrc.json': JSON.stringify({ services: { virustotal: { apiKey: 'file-key' } }, timeout: 5 }),
    });
    const { config } = await loadConfig({ cwd, env: env(), serviceIds: ids });
    expect(config.services.virustotal).toEqual({ apiKey: 'file-key' });
    expect(config.timeout).toBe(5);
  });

  it('reads YAML and package.json#ti-check', async () => {
    const yaml = project({ '.ti-checkrc.yaml': 'policy:\n  minMaliciousEngines: 5\n' });
    expect(
      (await loadConfig({ cwd: yaml, env: env(), serviceIds: ids })).config.policy.minMaliciousEngines,
    ).toBe(5);
    const pkg = project({ 'package.json': JSON.stringify({ name: 'x', 'ti-check': { timeout: 7 } }) });
    expect((await loadConfig({ cwd: pkg, env: env(), serviceIds: ids })).config.timeout).toBe(7);
  });

  it('lets the environment override key and URL', async () => {
    const cwd = project({
      '.ti-checkrc.json': JSON.stringify({ services: { virustotal: { apiKey: 'file-key', timeout: 9 } } }),
    });
    const { config } = await loadConfig({
      cwd,
      env: env({ TI_CHECK_VIRUSTOTAL_KEY: 'env-key', TI_CHECK_HASHLOOKUP_URL: 'http://127.0.0.1:8080/hl' }),
      serviceIds: ids,
    });
    expect(config.services).toEqual({
      virustotal: { apiKey: 'env-key', timeout: 9 },
      hashlookup: { baseUrl: 'http://127.0.0.1:8080/hl' },
    });
  });

  it('reads exactly the --config file', async () => {
    const dir = project({ 'custom.json': JSON.stringify({ timeout: 3 }) });
    const { config, filepath } = await loadConfig({
      path: join(dir, 'custom.json'),
      cwd: project({}),
      env: env(),
      serviceIds: ids,
    });
    expect(config.timeout).toBe(3);
    expect(filepath).toBe(join(dir, 'custom.json'));
  });

  it('reports a wrong value as path.to.key: what was expected', async () => {
    const cwd = project({
      '.ti-checkrc.json': JSON.stringify({ services: { virustotal: { timeout: 'soon' } } }),
    });
    const error = await loadConfig({ cwd, env: env(), serviceIds: ids }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /\.ti-checkrc\.json: services\.virustotal\.timeout: .*expected number/,
    );
  });

  it('rejects unknown services and unknown keys', async () => {
    const unknownService = project({ '.ti-checkrc.json': JSON.stringify({ services: { virustotl: {} } }) });
    await expect(loadConfig({ cwd: unknownService, env: env(), serviceIds: ids })).rejects.toThrow(
      /services\.virustotl: unknown service \(did you mean 'virustotal'\?\)$/,
    );
    const farOff = project({ '.ti-checkrc.json': JSON.stringify({ services: { nosuch: {} } }) });
    await expect(loadConfig({ cwd: farOff, env: env(), serviceIds: ids })).rejects.toThrow(
      /services\.nosuch: unknown service \(valid: virustotal, hashlookup\)$/,
    );
    const typo = project({ '.ti-checkrc.json': JSON.stringify({ timeot: 3 }) });
    await expect(loadConfig({ cwd: typo, env: env(), serviceIds: ids })).rejects.toThrow(/timeot/);
  });

  it('reads a service by its alias or in any case, and refuses two names for one service', async () => {
    const names = serviceNames([{ id: 'virustotal', aliases: ['vt'] }, { id: 'hashlookup' }]);
    const cwd = project({
      '.ti-checkrc.json': JSON.stringify({
        services: { VT: { apiKey: 'file-key' }, HashLookup: { timeout: 3 } },
      }),
    });
    const { config } = await loadConfig({ cwd, env: env(), serviceIds: ids, names });
    expect(config.services).toEqual({ virustotal: { apiKey: 'file-key' }, hashlookup: { timeout: 3 } });
    const twice = project({ '.ti-checkrc.json': JSON.stringify({ services: { vt: {}, virustotal: {} } }) });
    await expect(loadConfig({ cwd: twice, env: env(), serviceIds: ids, names })).rejects.toThrow(
      /services\.vt and services\.virustotal are both virustotal: keep one$/,
    );
  });

  it('refuses a base URL with a password in it, without printing the password, and other schemes', async () => {
    const fromEnv = (await loadConfig({
      cwd: project({}),
      env: env({ TI_CHECK_VIRUSTOTAL_URL: 'https://analyst:hunter2@vt-proxy.internal' }),
      serviceIds: ids,
    }).catch((e: unknown) => e)) as Error;
    expect(fromEnv).toBeInstanceOf(ConfigError);
    expect(fromEnv.message).toBe(
      'TI_CHECK_VIRUSTOTAL_URL: must not contain a user name or password (it would be printed; give the key as apiKey), got "https://…@vt-proxy.internal"',
    );
    const inFile = project({
      '.ti-checkrc.json': JSON.stringify({
        services: { hashlookup: { baseUrl: 'http://u:hunter2@h.internal' } },
      }),
    });
    const fileError = (await loadConfig({ cwd: inFile, env: env(), serviceIds: ids }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(fileError.message).toMatch(
      /services\.hashlookup\.baseUrl: must not contain a user name or password/,
    );
    expect(fileError.message).not.toContain('hunter2');
    await expect(
      loadConfig({
        cwd: project({}),
        env: env({ TI_CHECK_HASHLOOKUP_URL: 'ftp://h.internal' }),
        serviceIds: ids,
      }),
    ).rejects.toThrow(
      'TI_CHECK_HASHLOOKUP_URL: expected an http:// or https:// URL (dns:// for a DNS service)',
    );
    // What on-premise servers and local test responders use stays accepted.
    for (const url of ['https://onprem.example/prefix', 'http://127.0.0.1:8080', 'dns://127.0.0.1:5353']) {
      const { config } = await loadConfig({
        cwd: project({}),
        env: env({ TI_CHECK_HASHLOOKUP_URL: url }),
        serviceIds: ids,
      });
      expect(config.services.hashlookup?.baseUrl).toBe(url);
    }
  });

  it('rejects a malformed env URL and a broken file with one line', async () => {
    await expect(
      loadConfig({ cwd: project({}), env: env({ TI_CHECK_VIRUSTOTAL_URL: 'not a url' }), serviceIds: ids }),
    ).rejects.toThrow('TI_CHECK_VIRUSTOTAL_URL: expected an absolute URL, got "not a url"');
    const broken = project({ '.ti-checkrc.json': '{ "timeout": ' });
    const error = (await loadConfig({ cwd: broken, env: env(), serviceIds: ids }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).not.toContain('\n');
  });

  it('says which file is broken and why, on one line, for every kind of config file', async () => {
    const why = async (files: Record<string, string>, path?: string) => {
      const cwd = project(files);
      const error = (await loadConfig({ cwd, env: env(), serviceIds: ids, path }).catch(
        (e: unknown) => e,
      )) as Error;
      expect(error).toBeInstanceOf(ConfigError);
      return error.message.replaceAll(cwd, '<dir>');
    };
    expect(await why({ '.ti-checkrc.json': '{ "timeout": ' })).toMatch(
      /^cannot read config <dir>\/\.ti-checkrc\.json: invalid JSON: \S.*JSON.*$/,
    );
    expect(await why({ '.ti-checkrc.yaml': 'policy:\n  failOn: [\n' })).toBe(
      'cannot read config <dir>/.ti-checkrc.yaml: invalid YAML: unexpected end of the stream within a flow collection (3:1)',
    );
    // Not Node 20's misleading "Cannot require() ES Module … not yet fully loaded". (Under vitest
    // the import goes through Vite, whose wording differs; the e2e test checks Node's own.)
    const esm = await why({ 'ti-check.config.mjs': 'export default {' });
    expect(esm).toMatch(/^cannot read config <dir>\/ti-check\.config\.mjs: \w*Error: \S[^\n]*$/);
    expect(esm).not.toMatch(/require\(\)/);
    expect(await why({ 'ti-check.config.cjs': 'throw new Error("no key in the vault")' })).toBe(
      'cannot read config <dir>/ti-check.config.cjs: Error: no key in the vault',
    );
    expect(await why({}, '/nonexistent/ti-check.json')).toBe(
      'cannot read config /nonexistent/ti-check.json: no such file',
    );
  });

  describe('the search (as cosmiconfig searches, its probes made synchronously)', () => {
    afterEach(() => vi.unstubAllEnvs());
    const timeoutFrom = async (cwd: string) =>
      (await loadConfig({ cwd, env: env(), serviceIds: ids })).config.timeout;

    it('walks up from the working directory, the names of each folder in the order cosmiconfig has', async () => {
      const parent = project({ '.ti-checkrc.yaml': 'timeout: 4\n' });
      const child = join(parent, 'a', 'b');
      mkdirSync(child, { recursive: true });
      expect(await timeoutFrom(child)).toBe(4);
      // package.json without a ti-check key is passed over; with one, it comes before .ti-checkrc*.
      writeFileSync(join(child, 'package.json'), JSON.stringify({ name: 'x' }));
      expect(await timeoutFrom(child)).toBe(4);
      writeFileSync(join(child, '.ti-checkrc.json'), JSON.stringify({ timeout: 6 }));
      expect(await timeoutFrom(child)).toBe(6);
      writeFileSync(join(child, 'package.json'), JSON.stringify({ name: 'x', 'ti-check': { timeout: 9 } }));
      expect(await timeoutFrom(child)).toBe(9);
    });

    it('goes on past a file that loads as empty, as cosmiconfig does', async () => {
      const parent = project({ 'ti-check.config.cjs': 'module.exports = { timeout: 3 };' });
      const child = join(parent, 'child');
      mkdirSync(child);
      writeFileSync(join(child, '.ti-checkrc.yaml'), '# nothing set here yet\n');
      writeFileSync(join(child, 'ti-check.config.mjs'), 'export default undefined;\n');
      expect(await timeoutFrom(child)).toBe(3);
    });

    it('finds config.mjs in the config folder of the user', async () => {
      const configHome = project({});
      mkdirSync(join(configHome, 'ti-check'));
      writeFileSync(join(configHome, 'ti-check', 'config.mjs'), 'export default { timeout: 11 };\n');
      // cosmiconfig reads the user's config folder from process.env.
      vi.stubEnv('XDG_CONFIG_HOME', configHome);
      expect(await timeoutFrom(project({}))).toBe(11);
      vi.stubEnv('XDG_CONFIG_HOME', project({}));
      expect(await timeoutFrom(project({}))).toBe(20);
    });
  });

  it('imports JavaScript configs, ESM and CommonJS alike', async () => {
    for (const [name, source] of [
      ['ti-check.config.mjs', 'export default { timeout: 7 };'],
      ['ti-check.config.cjs', 'module.exports = { timeout: 8 };'],
    ] as const) {
      const { config } = await loadConfig({ cwd: project({ [name]: source }), env: env(), serviceIds: ids });
      expect(config.timeout).toBe(name.endsWith('.mjs') ? 7 : 8);
    }
  });
});
