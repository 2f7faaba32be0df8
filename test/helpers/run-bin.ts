/** Runs the built `ti-check` binary as a user would: a child process, real env, real exit code. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp-dir.js';

export const BIN = fileURLToPath(new URL('../../dist/cli/bin.cjs', import.meta.url));

export interface BinResult {
  code: number | null;
  /** The signal that ended the process (a native abort is SIGABRT), or null after a normal exit. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function assertBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" (npm test does)`);
}

/** A home with no config, so the developer's own ~/.config/ti-check never leaks into a test. */
export function isolatedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = tempDir('ti-check-home-');
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    ...extra,
  };
}

export interface RunningBin {
  child: ChildProcessWithoutNullStreams;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Settles when the process has exited and its pipes are closed. */
  done: Promise<BinResult>;
}

export interface BinOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to stdin, which is then closed. */
  stdin?: string;
  /** Leave stdin open after `stdin` is written (a producer that is still running); tests end it. */
  keepStdinOpen?: boolean;
}

/** Starts the binary and hands back the child, for tests that signal or kill it mid-run. */
export function startBin(args: string[], options: BinOptions = {}): RunningBin {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: options.env ?? isolatedEnv(),
    cwd: options.cwd ?? tempDir('ti-check-cwd-'),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<BinResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  // A child that exits before reading all of stdin must not fail the test with EPIPE.
  child.stdin.on('error', () => {});
  if (options.keepStdinOpen) child.stdin.write(options.stdin ?? '');
  else child.stdin.end(options.stdin ?? '');
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

export function runBin(args: string[], options: BinOptions = {}): Promise<BinResult> {
  return startBin(args, options).done;
}

/** Polls until `condition` holds; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
