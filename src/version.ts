import { createRequire } from 'node:module';

// Read from package.json so `--version` and the User-Agent never drift from the release.
const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
export const VERSION: string = pkg.version;
