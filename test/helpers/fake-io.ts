import type { CliIo } from '../../src/cli/io.js';

export interface FakeIo extends CliIo {
  out(): string;
  err(): string;
  opened: string[];
}

/** A CliIo that records what the CLI writes; not a TTY unless asked. */
export function fakeIo(options: { env?: NodeJS.ProcessEnv; cwd?: string; isTTY?: boolean } = {}): FakeIo {
  let stdout = '';
  let stderr = '';
  const opened: string[] = [];
  return {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: options.isTTY ?? false, columns: 120 },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: false },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    openUrl: async (url) => {
      opened.push(url);
    },
    out: () => stdout,
    err: () => stderr,
    opened,
  };
}
