/**
 * Runs the built binary in a real pseudo-terminal (util-linux `script`) at a given width, as an
 * analyst's terminal runs it: stdout is a TTY, `columns` is what `stty` says, colour is on unless
 * the environment switches it off.
 */
import { spawn } from 'node:child_process';
import { BIN, isolatedEnv } from './run-bin.js';

export interface TerminalRun {
  code: number | null;
  /** What the terminal showed (stdout and stderr, as on a screen), with `\r\n` turned into `\n`. */
  screen: string;
}

const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

export function runInTerminal(
  args: string[],
  { columns, env = isolatedEnv(), bin = BIN }: { columns: number; env?: NodeJS.ProcessEnv; bin?: string },
): Promise<TerminalRun> {
  const command = `stty cols ${columns} rows 50; exec ${[process.execPath, bin, ...args].map(quote).join(' ')}`;
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
    env: { ...env, TERM: 'xterm-256color' },
    // stdin stays open until the child is done: `script` ends the session when its input ends.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    screen += chunk;
  });
  child.stderr.resume();
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, screen: settled(screen.replaceAll('\r\n', '\n')) });
    });
  });
}

/** SGR colour sequences (what chalk writes) removed; anything else is left for tests to find. */
export function stripSgr(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is the point
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

/** Visible width of a line: code points after SGR codes are removed (the report is ASCII + box drawing). */
export function visibleWidth(line: string): number {
  return [...stripSgr(line)].length;
}

/**
 * What stays on screen once the progress line is done: each redraw (`\r` + erase line) replaces
 * the one before, and the last one wipes it, so only what was printed after it remains.
 */
function settled(screen: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's own sequences
  return screen.replace(/(\r\x1b\[K[^\r\n]*)+\r\x1b\[K/g, '');
}
