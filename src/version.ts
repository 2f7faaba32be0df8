import { readFileSync } from 'node:fs';

/**
 * Read from ti-check's own package.json so `--version` and the User-Agent never drift from the
 * release: the nearest one above this file named ti-check (dist/version.js, for the library). The
 * CLI's bundle replaces this module with the version read when it is built (scripts/bundle.mjs):
 * `prepack` builds, so the two never differ.
 */
function ownVersion(): string {
  let dir = new URL('.', import.meta.url);
  for (let depth = 0; depth < 5; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'ti-check' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // none here: one folder up
    }
    dir = new URL('..', dir);
  }
  return 'unknown';
}

export const VERSION: string = ownVersion();
