import type { Readable } from 'node:stream';

/** Everything the CLI touches outside itself, so tests drive it with fakes instead of module mocks. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
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
