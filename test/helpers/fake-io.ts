import type { CliIo } from '../../src/cli/io.js';
import { tempDir } from './temp-dir.js';

const ioDir = () => tempDir('ti-check-io-');

export interface FakeIo extends CliIo {
  out(): string;
  err(): string;
  opened: string[];
}

/**
 * A CliIo that records what the CLI writes; not a TTY unless asked. Config and cache directories
 * are fresh temporary ones unless the test names its own, so no test reads or writes the user's.
 */
export function fakeIo(options: { env?: NodeJS.ProcessEnv; cwd?: string; isTTY?: boolean } = {}): FakeIo {
  let stdout = '';
  let stderr = '';
  const opened: string[] = [];
  return {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: options.isTTY ?? false, columns: 120 },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: false },
    env: { XDG_CONFIG_HOME: ioDir(), XDG_CACHE_HOME: ioDir(), ...options.env },
    cwd: options.cwd ?? process.cwd(),
    openUrl: async (url) => {
      opened.push(url);
    },
    out: () => stdout,
    err: () => stderr,
    opened,
  };
}
