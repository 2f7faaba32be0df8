// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} references are the subject of these tests.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envReference, resolveKeyReferences } from '../../src/config/env-refs.js';
import { stripJsonComments } from '../../src/config/jsonc.js';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

const ids = ['virustotal', 'hashlookup', 'otx'];
function project(name: string, content: string): string {
  const dir = tempDir('ti-check-refs-');
  writeFileSync(join(dir, name), content);
  return dir;
}
const env = (extra: Record<string, string> = {}) => ({
  XDG_CONFIG_HOME: tempDir('ti-check-xdg-'),
  HOME: tempDir('ti-check-home-'),
  ...extra,
});

describe('API keys as ${VAR} references', () => {
  it('recognises only a whole ${NAME} value', () => {
    expect(envReference('${TI_CHECK_VIRUSTOTAL_KEY}')).toBe('TI_CHECK_VIRUSTOTAL_KEY');
    expect(envReference('${lower_ok_1}')).toBe('lower_ok_1');
    expect(envReference('abc${X}')).toBeUndefined();
    expect(envReference('${X}def')).toBeUndefined();
    expect(envReference('${1X}')).toBeUndefined();
    expect(envReference('literal-key')).toBeUndefined();
  });

  it('reads a reference from the environment; unset or empty means no key; literals are noted', () => {
    const { services, literalKeys } = resolveKeyReferences(
      {
        virustotal: { apiKey: '${VT}', timeout: 5 },
        otx: { apiKey: '${UNSET}' },
        hashlookup: { apiKey: 'written-in-the-file' },
      },
      { VT: ' from-env ' },
      'cfg',
    );
    expect(services).toEqual({
      virustotal: { apiKey: 'from-env', timeout: 5 },
      otx: {},
      hashlookup: { apiKey: 'written-in-the-file' },
    });
    expect(literalKeys).toEqual(['hashlookup']);
  });

  it('refuses a value that starts with $ but is no reference, without echoing it', () => {
    const attempt = () => resolveKeyReferences({ otx: { apiKey: '$TI_CHECK_OTX_KEY' } }, {}, 'cfg');
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow('cfg: services.otx.apiKey: starts with "$" but is not a reference');
    expect(attempt).not.toThrow(/TI_CHECK_OTX_KEY/);
  });

  it('loadConfig resolves references, and TI_CHECK_<ID>_KEY still wins', async () => {
    const cwd = project(
      '.ti-checkrc.json',
      JSON.stringify({
        services: { virustotal: { apiKey: '${MY_VT}' }, otx: { apiKey: '${TI_CHECK_OTX_KEY}' } },
      }),
    );
    const loaded = await loadConfig({ cwd, env: env({ MY_VT: 'vt-key' }), serviceIds: ids });
    expect(loaded.config.services.virustotal).toEqual({ apiKey: 'vt-key' });
    expect(loaded.config.services.otx).toEqual({});
    expect(loaded.literalKeys).toEqual([]);
    const overridden = await loadConfig({
      cwd,
      env: env({ MY_VT: 'vt-key', TI_CHECK_VIRUSTOTAL_KEY: 'env-key' }),
      serviceIds: ids,
    });
    expect(overridden.config.services.virustotal).toEqual({ apiKey: 'env-key' });
  });
});

describe('JSON configs with comments', () => {
  it('blanks // and /* */ comments but keeps strings, lines and columns', () => {
    const text = '{ // note\n  "a": "http://x/*y*/", /* c\n d */ "b": "\\"//"\n}';
    const stripped = stripJsonComments(text);
    expect(JSON.parse(stripped)).toEqual({ a: 'http://x/*y*/', b: '"//' });
    expect(stripped.split('\n').map((line) => line.length)).toEqual(text.split('\n').map((l) => l.length));
  });

  it('loadConfig reads a commented .ti-checkrc.json, and a JSON error still names file and reason', async () => {
    const cwd = project('.ti-checkrc.json', '// mine\n{\n  // seconds\n  "timeout": 7\n}\n');
    expect((await loadConfig({ cwd, env: env(), serviceIds: ids })).config.timeout).toBe(7);
    const broken = project('.ti-checkrc.json', '// mine\n{ "timeout": 7,, }\n');
    await expect(loadConfig({ cwd: broken, env: env(), serviceIds: ids })).rejects.toThrow(
      /cannot read config .*\.ti-checkrc\.json: invalid JSON/,
    );
  });
});
