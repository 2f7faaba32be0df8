#!/usr/bin/env node
import open from 'open';
import { closeSharedDispatcher } from '../http/dispatcher.js';
import { EXIT } from './exit-codes.js';
import { main } from './main.js';

const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort(new Error('interrupted')));

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  signal: interrupt.signal,
  openUrl: async (url) => {
    await open(url);
  },
});
await closeSharedDispatcher();
process.exitCode = interrupt.signal.aborted ? EXIT.interrupted : code;
