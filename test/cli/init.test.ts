import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config/load.js';
import { userConfigDir } from '../../src/config/paths.js';
import { serviceNames } from '../../src/config/service-names.js';
import { starterConfig } from '../../src/core/starter-config.js';
import { SERVICES } from '../../src/services/index.js';
import { fakeIo } from '../helpers/fake-io.js';
import { tempDir } from '../helpers/temp-dir.js';

function setup() {
  const home = tempDir('ti-check-init-');
  const cwd = tempDir('ti-check-init-cwd-');
  const io = fakeIo({ env: { HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') }, cwd });
  return { io, cwd, userFile: join(home, 'xdg', 'ti-check', 'config.json') };
}

describe('ti-check init', () => {
  it('writes the starter config to the user config dir, private to its owner, and says what next', async () => {
    const { io, userFile } = setup();
    expect(await main(['init'], io)).toBe(0);
    expect(io.out()).toContain(`wrote ${userFile}\n`);
    expect(io.out()).toContain('ti-check doctor');
    expect(readFileSync(userFile, 'utf8')).toBe(starterConfig(SERVICES));
    if (process.platform !== 'win32') expect(statSync(userFile).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite without --force (exit 2, one line), and overwrites with it', async () => {
    const { io, userFile } = setup();
    await main(['init'], io);
    writeFileSync(userFile, '{"timeout": 3}');
    expect(await main(['init'], io)).toBe(2);
    expect(io.err()).toBe(`ti-check: ${userFile} already exists: keep it, or overwrite it with --force\n`);
    expect(readFileSync(userFile, 'utf8')).toBe('{"timeout": 3}');
    expect(await main(['init', '--force'], io)).toBe(0);
    expect(readFileSync(userFile, 'utf8')).toBe(starterConfig(SERVICES));
  });

  it('--project writes .ti-checkrc.json in the working directory', async () => {
    const { io, cwd } = setup();
    expect(await main(['init', '--project'], io)).toBe(0);
    expect(readFileSync(join(cwd, '.ti-checkrc.json'), 'utf8')).toBe(starterConfig(SERVICES));
    expect(await main(['init', '--project'], io)).toBe(2);
  });
});

describe('the starter config', () => {
  const text = starterConfig(SERVICES);

  it('names every service with its kind and where to get a key, and holds no literal key', async () => {
    for (const service of SERVICES) {
      expect(text).toContain(`"${service.id}": { "enabled": true`);
      if (service.auth.key !== 'none') {
        expect(text).toContain(`"apiKey": "\${TI_CHECK_${service.id.toUpperCase()}_KEY}"`);
        expect(text).toContain(service.auth.signup ?? service.docs);
      }
    }
    const dir = tempDir('ti-check-starter-');
    writeFileSync(join(dir, '.ti-checkrc.json'), text);
    const loaded = await loadConfig({
      cwd: dir,
      env: { HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg'), TI_CHECK_OTX_KEY: 'otx-key' },
      serviceIds: SERVICES.map((s) => s.id),
      names: serviceNames(SERVICES),
    });
    expect(loaded.literalKeys).toEqual([]);
    // A key whose variable is set is read; the others are absent, so those services show as disabled.
    expect(loaded.config.services.otx?.apiKey).toBe('otx-key');
    expect(loaded.config.services.virustotal).toEqual({ enabled: true });
  });

  it('is found where the config search looks on each platform', () => {
    expect(userConfigDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe(join('/x', 'ti-check'));
    expect(userConfigDir({ HOME: '/h' }, 'linux')).toBe(join('/h', '.config', 'ti-check'));
    expect(userConfigDir({ HOME: '/h' }, 'darwin')).toBe(join('/h', 'Library', 'Preferences', 'ti-check'));
    expect(userConfigDir({ APPDATA: 'C:\\A' }, 'win32')).toBe(join('C:\\A', 'ti-check', 'Config'));
  });
});
