import type { Readable } from 'node:stream';
import { terminalSafe } from '../render/terminal-text.js';

/** Everything the CLI touches outside itself, so tests drive it with fakes instead of module mocks. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
  /** Redraws the one-line status (progress) in place; '' wipes it. Only on a `terminalLines` stream. */
  status?(line: string): void;
}

/**
 * stderr as the CLI writes to it: whatever a message quotes (a file name, a vendor's words, a config
 * value) reaches the terminal with its control and bidi characters made visible; only the CLI's own
 * line ends pass, and the progress line's redraw goes through `status`.
 */
export function terminalLines(stream: OutputStream): OutputStream {
  return {
    isTTY: stream.isTTY,
    columns: stream.columns,
    write: (chunk) => stream.write(chunk.split('\n').map(terminalSafe).join('\n')),
    status: (line) => stream.write(`\r\u001b[K${terminalSafe(line)}`),
  };
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where `-` and `--hash-file -` read hashes from. */
  stdin?: Readable;
  /** Ctrl-C. */
  signal?: AbortSignal;
  /** Opens a vendor page in the browser (`--open`). */
  openUrl(url: string): Promise<void>;
}
