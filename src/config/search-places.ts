/**
 * Whether a config file could be anywhere the search (./config-file.ts) looks. Most runs have none
 * (keys from the environment), and for them cosmiconfig — its module, its search for its own
 * settings, some 40 reads that each fail with an exception — was ~3 ms before the first request.
 * Listing each folder once tells the same: no name the search reads is there.
 *
 * It may answer "could be" where the search would find nothing (a package.json without a
 * `ti-check` key, a folder it cannot list): then the search runs, as it always did. It never
 * answers "no" where a file is.
 *
 * The names are cosmiconfig 9's (its defaults.js); test/config/search-places.test.ts holds them to
 * the installed cosmiconfig, so that an upgrade that adds one fails the tests, not a user's run.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** cosmiconfig's module name for ti-check: what its file names are made of. */
export const MODULE_NAME = 'ti-check';
const EXTENSIONS = ['', '.json', '.yaml', '.yml', '.js', '.ts', '.cjs', '.mjs'];

/** Where cosmiconfig looks in the working directory and each folder above it (getDefaultSearchPlaces). */
export const LOCAL_PLACES: readonly string[] = [
  'package.json',
  ...EXTENSIONS.map((ext) => `.${MODULE_NAME}rc${ext}`),
  ...EXTENSIONS.map((ext) => `.config/${MODULE_NAME}rc${ext}`),
  ...['.js', '.ts', '.cjs', '.mjs'].map((ext) => `${MODULE_NAME}.config${ext}`),
];

/** Where it looks in the user's config folder (globalConfigSearchPlaces). */
export const GLOBAL_PLACES: readonly string[] = EXTENSIONS.map((ext) => `config${ext}`);

/** Where it looks for its own settings, in the process's working directory (metaSearchPlaces). */
export const META_PLACES: readonly string[] = [
  'package.json',
  'package.yaml',
  ...EXTENSIONS.slice(1).map((ext) => `.config/config${ext}`),
];

export interface SearchFolders {
  /** Where the search starts. */
  cwd: string;
  /** Where it stops going up, that folder included (cosmiconfig: the home folder), else at the root. */
  stopDir: string;
  /** Where cosmiconfig looks for its own settings: the process's working directory. */
  processCwd: string;
  /** The user's config folder (./config-dir.ts). */
  userConfigDir: string;
}

/**
 * False only when none of the places exists: in `cwd` and each folder above it up to `stopDir`, in
 * the process's working directory, and in the user's config folder.
 */
export function mayHoldConfig(folders: SearchFolders): boolean {
  const listings = new Map<string, ReadonlySet<string> | undefined>();
  // Names compared in lower case: on a case-insensitive disk, `.TI-CHECKRC` is read as `.ti-checkrc`.
  const listing = (dir: string) => {
    if (!listings.has(dir)) listings.set(dir, namesIn(dir));
    return listings.get(dir);
  };
  const anyOf = (dir: string, places: readonly string[]) =>
    places.some((place) => {
      const parts = place.toLowerCase().split('/');
      const name = parts.pop() as string;
      // A folder that cannot be listed may still hold the file: "could be".
      const names = listing(join(dir, ...parts));
      return names === undefined || names.has(name);
    });
  const stopDir = resolve(folders.stopDir);
  for (let dir = resolve(folders.cwd); ; dir = dirname(dir)) {
    if (anyOf(dir, LOCAL_PLACES)) return true;
    if (dir === stopDir || dirname(dir) === dir) break;
  }
  return (
    anyOf(resolve(folders.processCwd), META_PLACES) || anyOf(resolve(folders.userConfigDir), GLOBAL_PLACES)
  );
}

/** The folder's entries in lower case; empty when it does not exist; undefined when it cannot be listed. */
function namesIn(dir: string): ReadonlySet<string> | undefined {
  try {
    return new Set(readdirSync(dir).map((name) => name.toLowerCase()));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? new Set() : undefined;
  }
}
