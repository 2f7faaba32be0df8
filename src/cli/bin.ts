#!/usr/bin/env node
const args = process.argv.slice(2);
// `ti-check --version` needs none of yargs, zod, undici or the vendor schemas: answer it before
// loading them, which is most of a start-up (0.52 s → about node's own 0.1 s).
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { VERSION } = await import('../version.js');
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}
const { start } = await import('./start.js');
await start(args, import.meta.url);
