import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  getDefaultSearchPlaces,
  getDefaultSearchPlacesSync,
  globalConfigSearchPlaces,
  globalConfigSearchPlacesSync,
} from 'cosmiconfig';
import { metaSearchPlaces } from 'cosmiconfig/dist/defaults.js';
import { describe, expect, it } from 'vitest';
import {
  GLOBAL_PLACES,
  LOCAL_PLACES,
  META_PLACES,
  mayHoldConfig,
  type SearchFolders,
} from '../../src/config/search-places.js';
import { tempDir } from '../helpers/temp-dir.js';

const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

describe('the places the config search reads', () => {
  it('are the installed cosmiconfig’s, sync and async', () => {
    expect(sorted(LOCAL_PLACES)).toEqual(
      sorted([...getDefaultSearchPlaces('ti-check'), ...getDefaultSearchPlacesSync('ti-check')]),
    );
    expect(sorted(GLOBAL_PLACES)).toEqual(
      sorted([...globalConfigSearchPlaces, ...globalConfigSearchPlacesSync]),
    );
    expect(sorted(META_PLACES)).toEqual(sorted(metaSearchPlaces));
  });
});

describe('mayHoldConfig', () => {
  /** root/a/b as the working directory, root as the home folder; settings and config folders apart. */
  function folders(): SearchFolders & { root: string } {
    const root = tempDir('ti-check-places-');
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    return {
      root,
      cwd: join(root, 'a', 'b'),
      stopDir: root,
      processCwd: tempDir('ti-check-places-cwd-'),
      userConfigDir: join(tempDir('ti-check-places-xdg-'), 'ti-check'),
    };
  }
  const put = (file: string) => {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, '{}');
  };

  it('answers no when none of the names is anywhere the search reads', () => {
    const f = folders();
    put(join(f.root, 'a', 'b', 'notes.txt'));
    put(join(f.root, '.config', 'other-toolrc'));
    expect(mayHoldConfig(f)).toBe(false);
  });

  it('answers could-be for any file the search would read on its way up', () => {
    const cases = {
      'a/b/.ti-checkrc': 'in the working directory',
      'a/.ti-checkrc.yaml': 'in a folder above it',
      '.config/ti-checkrc.json': 'in the .config of the home folder',
      'ti-check.config.mjs': 'a JavaScript config',
      'a/package.json': 'any package.json: the search reads it for a ti-check key',
      'a/.TI-CHECKRC.JSON': 'any case: a case-insensitive disk reads it as .ti-checkrc.json',
    };
    for (const [file, why] of Object.entries(cases)) {
      const f = folders();
      put(join(f.root, file));
      expect(mayHoldConfig(f), why).toBe(true);
    }
  });

  it('reads no folder above the home folder, as the search', () => {
    const f = folders();
    put(join(f.root, 'a', 'b', 'x', '.ti-checkrc'));
    expect(
      mayHoldConfig({ ...f, cwd: join(f.root, 'a', 'b', 'x'), stopDir: join(f.root, 'a', 'b', 'x') }),
    ).toBe(true);
    put(join(f.root, '.ti-checkrc'));
    expect(mayHoldConfig({ ...f, stopDir: join(f.root, 'a') })).toBe(false);
  });

  it('answers could-be for the user config folder’s config files, .mjs included, and for cosmiconfig’s own settings', () => {
    for (const name of ['config', 'config.json', 'config.mjs']) {
      const f = folders();
      put(join(f.userConfigDir, name));
      expect(mayHoldConfig(f), name).toBe(true);
    }
    const f = folders();
    put(join(f.processCwd, '.config', 'config.yaml'));
    expect(mayHoldConfig(f)).toBe(true);
  });

  it('reads a working directory that is a file as a folder with nothing in it', () => {
    const f = folders();
    const file = join(f.root, 'a', 'b', 'plain');
    put(file);
    // cosmiconfig goes on above a working directory that is not a folder; so does this.
    expect(mayHoldConfig({ ...f, cwd: file })).toBe(false);
  });
});
