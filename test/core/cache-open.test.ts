/**
 * Opening the cache when the SQLite addon itself does not load (Node upgraded under a global
 * install): a clear error naming the fix, and the user's cache file left exactly as it was.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openCache } from '../../src/core/cache/index.js';
import { releaseAddon, SqliteUnavailableError } from '../../src/core/cache/open-sqlite.js';
import { tempDir } from '../helpers/temp-dir.js';

vi.mock('better-sqlite3', () => ({
  default: class {
    constructor() {
      // What Node says when the addon was built for another Node.js version.
      const error = new Error(
        "The module '/x/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115.",
      ) as NodeJS.ErrnoException;
      error.code = 'ERR_DLOPEN_FAILED';
      throw error;
    }
  },
}));

describe('openCache when better-sqlite3 does not load', () => {
  it('says how to fix it and never touches the existing cache file', () => {
    const dir = tempDir('ti-check-cache-open-');
    const file = join(dir, 'cache-v2.sqlite');
    const before = Buffer.from('SQLite format 3\u0000 … a week of answers');
    writeFileSync(file, before);

    const error = (() => {
      try {
        openCache(dir, { found: 60, notFound: 60 });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();

    expect(error).toBeInstanceOf(SqliteUnavailableError);
    expect((error as Error).message).toMatch(
      /^the cache's SQLite addon \(better-sqlite3\) does not load in Node\.js v[\d.]+; run "npm rebuild better-sqlite3" where ti-check is installed \(The module/,
    );
    expect((error as Error).message).not.toContain('\n');
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

describe('where the SQLite addon is', () => {
  const root = join('/pkg', 'better-sqlite3');
  const release = join(root, 'build', 'Release', 'better_sqlite3.node');
  const exists =
    (...present: string[]) =>
    (path: string) =>
      present.includes(path);

  it('is build/Release, taken at once, when bindings would find it first', () => {
    expect(releaseAddon(root, exists(release))).toBe(release);
  });

  it('is left to bindings when it is elsewhere, or when bindings would try another build first', () => {
    expect(releaseAddon(root, exists())).toBeUndefined();
    expect(
      releaseAddon(root, exists(release, join(root, 'build', 'Debug', 'better_sqlite3.node'))),
    ).toBeUndefined();
    expect(releaseAddon(root, exists(release, join(root, 'build', 'better_sqlite3.node')))).toBeUndefined();
  });
});
