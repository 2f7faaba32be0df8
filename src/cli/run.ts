/**
 * The CLI process once bin.ts has started it: signals, pipes, the environment plugins see, and the
 * exit code. The entry of the CommonJS bundle that bin.ts loads with V8's code cache
 * (scripts/bundle.mjs, src/cli/code-cache.ts).
 */
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { setProcessTuning } from '../process-tuning.js';
import { EXIT, OutputClosed, Terminated } from './exit-codes.js';
import { rawArguments } from './io.js';
import { main } from './main.js';

export interface RunOptions {
  /** What heavy work needs of this process (src/process-tuning.ts): bin.ts's V8 settings. */
  tuneProcess?: () => void;
  /** Told when the run is the check command (src/cli/code-cache.ts keeps its compiled code whole). */
  onCheckCommand?: () => void;
}

export async function run(args: string[], options: RunOptions = {}): Promise<void> {
  setProcessTuning(options.tuneProcess);
  const interrupt = new AbortController();
  // Every lookup in flight listens for Ctrl-C: hundreds at once in a batch is by design, not a leak.
  setMaxListeners(0, interrupt.signal);
  process.once('SIGINT', () => interrupt.abort(new Error('interrupted')));
  // `kill`, `docker stop`, a cancelled CI job: the same orderly stop as Ctrl-C (complete lines only,
  // a consistent cache), where Node's default would drop whatever stdout still had queued.
  process.once('SIGTERM', () => interrupt.abort(new Terminated('terminated')));
  // `ti-check dir --ndjson | head`: the reader has gone. Stop asking vendors and end quietly, as cat
  // and grep do, instead of dying on an unhandled EPIPE with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    if (!interrupt.signal.aborted) interrupt.abort(new OutputClosed('stdout closed'));
  });
  // `ti-check … 2>&1 | head`: stderr went with it, and there is nowhere left to say anything. Without
  // this the next warning would crash the process with exit 1, which a CI gate reads as "malicious".
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });

  // Plugin services run in this process: each gets its own key from ti-check, and none finds the
  // others' in process.env (ti-check reads its own copy). The variables a config refers to for keys
  // (`${NAME}`) are known once it is read, and go too before any plugin is imported.
  const env = { ...process.env };
  const hideVariables = (names: readonly string[]) => {
    for (const name of names) delete process.env[name];
  };
  hideVariables(Object.keys(process.env).filter((name) => /^TI_CHECK_/i.test(name)));

  const code = await main(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: () => process.stdin,
    env,
    cwd: process.cwd(),
    signal: interrupt.signal,
    rawArgs: rawArguments(args, () => readFileSync('/proc/self/cmdline')),
    hideVariables,
    onCheckCommand: options.onCheckCommand,
    openUrl: async (url) => {
      const { default: open } = await import('open');
      await open(url);
    },
  });
  process.exitCode = exitCodeAfter(interrupt.signal, code);
  // Everything is done and closed (the cache, any report file); what is left is Node tearing the
  // process down: running its cleanup hooks, waiting for V8's background work and freeing the heap
  // page by page, ~16 ms of every run after its last line. process.exit() skips that (its 'exit'
  // handlers still run), once stdout and stderr have handed over every byte. The pooled sockets
  // are left to it too: closing them one by one first (closeTransports) only delays the exit.
  // Nothing is on the wire: every request has been answered, or abandoned by its deadline or by Ctrl-C.
  await Promise.all([handedOver(process.stdout), handedOver(process.stderr)]);
  process.exit();
}

/**
 * Resolves once a stream holds nothing more to write, or never will (the reader went away).
 * process.stdout and stderr write synchronously to files, and on Linux to terminals and pipes too:
 * this waits for the others (a pipe on macOS, a terminal on Windows).
 */
function handedOver(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
  return new Promise((done) => {
    stream.once('drain', done);
    stream.once('close', done);
  });
}

function exitCodeAfter(signal: AbortSignal, code: number): number {
  if (!signal.aborted) return code;
  if (signal.reason instanceof OutputClosed) return EXIT.outputClosed;
  if (signal.reason instanceof Terminated) return EXIT.terminated;
  return EXIT.interrupted;
}
