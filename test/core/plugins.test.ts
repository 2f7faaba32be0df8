import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envReferenceTo } from '../../src/config/env-refs.js';
import { loadPlugins } from '../../src/core/plugins.js';
import { loadSetup, pluginDir } from '../../src/core/setup.js';
import { BadResponseError } from '../../src/errors.js';
import type { HashRef } from '../../src/model/report.js';
import { type PluginKit, pluginKit } from '../../src/services/plugin-kit.js';
import type { LookupContext } from '../../src/services/types.js';
import { fakeService } from '../helpers/fake-services.js';
import { tempDir } from '../helpers/temp-dir.js';

const builtIn = [fakeService('virustotal', () => null, { displayName: 'VirusTotal', aliases: ['vt'] })];
const HASH: HashRef = { type: 'sha256', value: 'ab'.repeat(32) };

/** A plugin definition's source, with `extra` lines inside the object. */
const definition = (id: string, extra = '') => `{
  id: '${id}',
  displayName: 'Plugin ${id}',
  kind: 'reputation',
  hashTypes: ['sha256'],
  auth: { key: 'optional' },
  baseUrl: 'https://${id}.example.test',
  rateLimit: { requests: 5, perSeconds: 1 },
  lookup: async () => null,
  ${extra}
}`;

function pluginFiles(files: Record<string, string>): string {
  const dir = tempDir('ti-check-plugins-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('loading plugins', () => {
  it('takes a default-exported definition or a function of the kit, in file-name order, marked with their file', async () => {
    const dir = pluginFiles({
      'b.mjs': `export default ${definition('beta')};`,
      'a.js': `export default (kit) => kit.defineService(${definition('alpha')});`,
      'c.mjs': `export default async ({ defineService }) => defineService(${definition('gamma')});`,
      'notes.txt': 'not a plugin',
    });
    const { services, problems } = await loadPlugins({ dir }, builtIn);
    expect(problems).toEqual([]);
    expect(services.map((s) => [s.id, s.plugin])).toEqual([
      ['alpha', join(dir, 'a.js')],
      ['beta', join(dir, 'b.mjs')],
      ['gamma', join(dir, 'c.mjs')],
    ]);
    // Defaults for what an internal service rarely has: docs and the limit's provenance.
    expect(services[0]?.docs).toBe('https://alpha.example.test');
    expect(services[0]?.rateLimit).toEqual({
      requests: 5,
      perSeconds: 1,
      source: 'https://alpha.example.test',
      basis: 'conservative',
    });
  });

  it('a missing folder holds no plugins; a missing listed file is a problem line', async () => {
    const missing = join(tempDir('ti-check-plugins-'), 'nope.mjs');
    const result = await loadPlugins({ dir: join(missing, 'dir'), listed: [missing] }, builtIn);
    expect(result.services).toEqual([]);
    expect(result.problems).toEqual([
      `plugin ${missing}: no such file (left out; the other services still run)`,
    ]);
  });

  it('a broken plugin is one line naming its file and why; the others still load', async () => {
    const dir = pluginFiles({
      '1-syntax.mjs': 'export default {\n',
      '2-empty.mjs': 'export const notDefault = 1;',
      '3-shape.mjs': `export default ${definition('shape').replace("kind: 'reputation'", "kind: 'oracle'")};`,
      '4-clash.mjs': `export default ${definition('virustotal')};`,
      '5-alias.mjs': `export default ${definition('other', "aliases: ['VT'],")};`,
      '6-throws.mjs': `export default () => { throw new Error('no config here'); };`,
      '7-good.mjs': `export default ${definition('good')};`,
      '8-twice.mjs': `export default ${definition('good')};`,
      '9-badid.mjs': `export default ${definition('Bad_Id')};`,
    });
    const { services, problems } = await loadPlugins({ dir }, builtIn);
    expect(services.map((s) => s.id)).toEqual(['good']);
    const tail = ' (left out; the other services still run)';
    // Node says "SyntaxError: Unexpected end of input" (test/e2e/plugins.e2e.test.ts); vitest's
    // module loader words it its own way.
    expect(problems[0]).toMatch(
      /^plugin .*1-syntax\.mjs: .*(SyntaxError|syntax).* \(left out; the other services still run\)$/,
    );
    expect(problems.slice(1)).toEqual([
      `plugin ${join(dir, '2-empty.mjs')}: no default export: export a service definition, or a function of the kit that returns one${tail}`,
      `plugin ${join(dir, '3-shape.mjs')}: not a service definition: kind: Invalid option: expected one of "multi-engine"|"sandbox"|"repository"|"reputation"|"known-good"${tail}`,
      `plugin ${join(dir, '4-clash.mjs')}: "virustotal" is already the built-in service VirusTotal: pick another id or alias${tail}`,
      `plugin ${join(dir, '5-alias.mjs')}: "VT" is already the built-in service VirusTotal: pick another id or alias${tail}`,
      `plugin ${join(dir, '6-throws.mjs')}: its default export threw: no config here${tail}`,
      `plugin ${join(dir, '8-twice.mjs')}: "good" is already the plugin ${join(dir, '7-good.mjs')}: pick another id or alias${tail}`,
      `plugin ${join(dir, '9-badid.mjs')}: not a service definition: id: expected 2–32 lower-case letters and digits, starting with a letter${tail}`,
    ]);
  });

  it('masks keys in what a broken plugin says', async () => {
    const dir = pluginFiles({ 'leak.mjs': `throw new Error('cannot start with key s3cr3t-key-value');` });
    const { problems } = await loadPlugins({ dir }, builtIn, (text) =>
      text.replaceAll('s3cr3t-key-value', '***'),
    );
    expect(problems).toEqual([
      `plugin ${join(dir, 'leak.mjs')}: Error: cannot start with key *** (left out; the other services still run)`,
    ]);
  });

  it('hands a plugin the frozen kit: defineService, zod, the helpers, error classes — no config, no keys', async () => {
    const dir = pluginFiles({
      'spy.mjs': `export let seen; export default (kit) => { seen = kit; return ${definition('spy')}; };`,
    });
    await loadPlugins({ dir }, builtIn);
    const { seen } = (await import(join(dir, 'spy.mjs'))) as { seen: PluginKit };
    expect(seen).toBe(await pluginKit());
    expect(Object.isFrozen(seen)).toBe(true);
    expect(Object.keys(seen).sort()).toEqual(
      [
        'defineService',
        'errors',
        'joinDetail',
        'joinParts',
        'labelled',
        'listOrEmpty',
        'loose',
        'looseOrUndefined',
        'plural',
        'safeJson',
        'sha256Link',
        'unique',
        'worstVerdict',
        'z',
      ].sort(),
    );
  });
});

describe('a plugin at run time', () => {
  const ctx = {} as LookupContext;

  async function loadOne(extra: string) {
    const dir = pluginFiles({ 'p.mjs': `export default ${definition('probe', extra)};` });
    const { services, problems } = await loadPlugins({ dir }, builtIn);
    expect(problems).toEqual([]);
    return services[0] as NonNullable<(typeof services)[0]>;
  }

  it('fails closed: anything but null or a finding is a bad_response error, never "not found"', async () => {
    for (const answer of [
      'undefined',
      '{}',
      "{ entries: [{ name: 'x', category: 'evil', detail: null }] }",
    ]) {
      const service = await loadOne(
        `lookup: async () => (${answer}),`.replace('lookup: async () => null,', ''),
      );
      await expect(service.lookup(HASH, ctx)).rejects.toBeInstanceOf(BadResponseError);
    }
    const found = await loadOne('');
    expect(await found.lookup(HASH, ctx)).toBeNull();
  });

  it('passes a valid finding through, and its link never throws', async () => {
    const service = await loadOne(
      `link: () => { throw new Error('bug'); },
       lookup: async (hash, ctx) => ({ verdict: 'clean', entries: [{ name: 'db', category: 'clean', detail: ctx.apiKey ?? null }] }),`,
    );
    expect(await service.lookup(HASH, { apiKey: 'own-key' } as LookupContext)).toEqual({
      verdict: 'clean',
      entries: [{ name: 'db', category: 'clean', detail: 'own-key' }],
    });
    expect(service.link(HASH)).toBe('https://probe.example.test');
  });
});

describe('setup: config, plugins and registry', () => {
  it("loads the config folder's plugins and the config's (relative to it), and lets the config set a plugin's key", async () => {
    const home = tempDir('ti-check-plugins-');
    const env = { XDG_CONFIG_HOME: home, TI_CHECK_FOLDER_KEY: 'folder-key' };
    mkdirSync(pluginDir(env), { recursive: true });
    writeFileSync(join(pluginDir(env), 'folder.mjs'), `export default ${definition('folder')};`);
    const project = tempDir('ti-check-plugins-');
    mkdirSync(join(project, 'tools'));
    writeFileSync(join(project, 'tools', 'listed.mjs'), `export default ${definition('listed')};`);
    writeFileSync(
      join(project, '.ti-checkrc.json'),
      JSON.stringify({ plugins: ['tools/listed.mjs'], services: { listed: { apiKey: 'listed-key' } } }),
    );
    const setup = await loadSetup({ cwd: project, env, builtIn });
    expect(setup.warnings).toEqual([]);
    expect(setup.registry.map((s) => s.id)).toEqual(['virustotal', 'folder', 'listed']);
    expect(setup.config.services.listed?.apiKey).toBe('listed-key');
    expect(setup.config.services.folder?.apiKey).toBe('folder-key');
    // plugins: false — the built-ins alone (and a config naming a plugin is then a mistake).
    const off = await loadSetup({ cwd: home, env, builtIn, plugins: false });
    expect(off.registry.map((s) => s.id)).toEqual(['virustotal']);
  });

  it("masks every key in a broken plugin's error: literal, TI_CHECK_*_KEY, and a variable the config names", async () => {
    const project = tempDir('ti-check-plugins-');
    writeFileSync(
      join(project, 'leak.mjs'),
      `throw new Error('literal-key-1111 prefixed-key-2222 team-key-3333');`,
    );
    writeFileSync(
      join(project, '.ti-checkrc.json'),
      JSON.stringify({
        plugins: ['leak.mjs'],
        services: {
          virustotal: { apiKey: envReferenceTo('TEAM_VT_KEY') },
          otx: { apiKey: 'literal-key-1111' },
        },
      }),
    );
    const env = {
      XDG_CONFIG_HOME: project,
      TI_CHECK_OTHER_KEY: 'prefixed-key-2222',
      TEAM_VT_KEY: 'team-key-3333',
    };
    const hidden: string[] = [];
    const setup = await loadSetup({
      cwd: project,
      env,
      builtIn: [...builtIn, fakeService('otx', () => null)],
      onKeyVariables: (names) => hidden.push(...names),
    });
    expect(hidden.sort()).toEqual(['TEAM_VT_KEY', 'TI_CHECK_OTHER_KEY']);
    expect(setup.warnings[0]).toContain('Error: *** *** ***');
    for (const key of ['literal-key-1111', 'prefixed-key-2222', 'team-key-3333']) {
      expect(setup.warnings.join('\n')).not.toContain(key);
    }
  });

  it('a broken plugin leaves its settings unused with a warning instead of stopping the run', async () => {
    const project = tempDir('ti-check-plugins-');
    writeFileSync(join(project, 'broken.mjs'), 'export default {');
    writeFileSync(
      join(project, '.ti-checkrc.json'),
      JSON.stringify({ plugins: ['broken.mjs'], services: { broken: { apiKey: 'k-123456789' } } }),
    );
    const setup = await loadSetup({ cwd: project, env: { XDG_CONFIG_HOME: project }, builtIn });
    expect(setup.registry.map((s) => s.id)).toEqual(['virustotal']);
    expect(setup.warnings).toHaveLength(2);
    expect(setup.warnings[0]).toMatch(new RegExp(`^plugin ${join(project, 'broken.mjs')}: `));
    expect(setup.warnings[1]).toBe(
      `${join(project, '.ti-checkrc.json')}: services.broken: unknown service, ignored (its plugin did not load)`,
    );
  });
});
