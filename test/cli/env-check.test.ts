import { describe, expect, it } from 'vitest';
import { knownEnvNames, unknownEnvWarnings } from '../../src/cli/env-check.js';
import { main } from '../../src/cli/main.js';
import { SERVICES } from '../../src/services/index.js';
import { fakeIo } from '../helpers/fake-io.js';
import { fakeService } from '../helpers/fake-services.js';
import { tempDir } from '../helpers/temp-dir.js';

const warn = (env: NodeJS.ProcessEnv) => unknownEnvWarnings(env, SERVICES);

describe('unknown TI_CHECK_* environment variables', () => {
  it('knows a key and a URL variable per service, and says nothing about them or other variables', () => {
    expect(knownEnvNames(SERVICES)).toContain('TI_CHECK_VIRUSTOTAL_KEY');
    expect(knownEnvNames(SERVICES)).toContain('TI_CHECK_HASHLOOKUP_URL');
    expect(knownEnvNames(SERVICES)).toContain('TI_CHECK_CACHE_URL');
    expect(knownEnvNames(SERVICES)).toHaveLength(SERVICES.length * 2 + 1);
    expect(
      warn({ TI_CHECK_VIRUSTOTAL_KEY: 'k', TI_CHECK_CYMRU_URL: 'dns://x', PATH: '/bin', TICHECK: '1' }),
    ).toEqual([]);
  });

  it.each([
    ['TI_CHECK_VIRUSTOTL_KEY', 'TI_CHECK_VIRUSTOTAL_KEY'],
    ['TI_CHECK_VT_KEY', 'TI_CHECK_VIRUSTOTAL_KEY'],
    ['TI_CHECK_OPSWAT_KEY', 'TI_CHECK_METADEFENDER_KEY'],
    ['TI_CHECK_VIRUSTOTAL_API_KEY', 'TI_CHECK_VIRUSTOTAL_KEY'],
    ['TI_CHECK_VIRUSTOTAL_APIKEY', 'TI_CHECK_VIRUSTOTAL_KEY'],
    ['TI_CHECK_HASHLOOKUP_BASE_URL', 'TI_CHECK_HASHLOOKUP_URL'],
    ['TI_CHECK_VIRUSTOTAL_KYE', 'TI_CHECK_VIRUSTOTAL_KEY'],
    ['ti_check_virustotal_key', 'TI_CHECK_VIRUSTOTAL_KEY'],
  ])('%s: did you mean %s?', (name, meant) => {
    expect(warn({ [name]: 'secret-value-123' })).toEqual([
      `unknown environment variable ${name} (did you mean ${meant}?)`,
    ]);
  });

  it('names a variable nothing comes close to without a guess', () => {
    expect(warn({ TI_CHECK_DEBUG: '1' })).toEqual(['unknown environment variable TI_CHECK_DEBUG']);
  });

  it('main warns once per variable on stderr, never with the value, and carries on', async () => {
    const registry = [fakeService('goodlist', () => null, { kind: 'known-good', aliases: ['gl'] })];
    const io = fakeIo({
      env: {
        XDG_CONFIG_HOME: tempDir('ti-check-env-'),
        XDG_CACHE_HOME: tempDir('ti-check-env-'),
        TI_CHECK_GOODLIS_KEY: 'secret-value-123',
        TI_CHECK_GOODLIST_KEY: 'right-one',
      },
      cwd: tempDir('ti-check-env-'),
    });
    const code = await main(['--hash', '44d88612fea8a8f36de82e1278abb02f', '--json'], io, registry);
    expect(code).toBe(0);
    expect(io.err()).toBe(
      'ti-check: unknown environment variable TI_CHECK_GOODLIS_KEY (did you mean TI_CHECK_GOODLIST_KEY?)\n',
    );
    expect(io.err() + io.out()).not.toContain('secret-value-123');
  });
});
