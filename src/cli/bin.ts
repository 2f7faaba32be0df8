#!/usr/bin/env node
// Built as CommonJS (dist/cli/bin.cjs, scripts/bundle.mjs): a CommonJS entry starts without Node's
// ES module loader, some 15 ms sooner.
import { VERSION } from '../version.js';
import { EXIT, internalErrorLine } from './exit-codes.js';
import { start } from './start.js';

const args = process.argv.slice(2);
// `ti-check --version` needs none of the program: answered before it loads.
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // `ti-check --version | true`: the reader has gone, and there is nothing left to tell.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  process.stdout.write(`${VERSION}\n`);
} else {
  // Anything a user does ends in main() with its exit code; what is left is a broken install (the
  // bundle missing or unreadable): one line and exit 4, not a stack trace.
  start(args, import.meta.url).catch((error: unknown) => {
    process.stderr.write(internalErrorLine(error));
    process.exitCode = EXIT.internal;
  });
}
