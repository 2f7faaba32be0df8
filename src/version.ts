import { readFileSync } from 'node:fs';

/**
 * Read from ti-check's own package.json so `--version` and the User-Agent never drift from the
 * release: the nearest one above this file named ti-check, wherever the build put this module
 * (dist/version.js for the library, a chunk of the CLI's bundle under dist/cli/chunks/).
 */
export function ownVersion(): string {
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

// Pure for the bundler: a bundle that only answers `--version` with ownVersion() (src/cli/bin.ts)
// does not read package.json at every start-up for a constant it never uses.
export const VERSION: string = /* @__PURE__ */ ownVersion();
