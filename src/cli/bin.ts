#!/usr/bin/env node
// Built as CommonJS (dist/cli/bin.cjs, scripts/bundle.mjs): a CommonJS entry starts without Node's
// ES module loader, some 15 ms sooner.
import { VERSION } from '../version.js';
import { start } from './start.js';

const args = process.argv.slice(2);
// `ti-check --version` needs none of the program: answered before it loads.
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  // start() settles with the exit code set; it never rejects for anything a user does.
  void start(args, import.meta.url);
}
