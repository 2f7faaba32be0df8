/**
 * `ti-check init [--project] [--force]`: writes the commented starter config (src/core/starter-config.ts)
 * to the user config directory, or `.ti-checkrc.json` in the working directory. Never overwrites
 * a config without `--force`; the file is private to its owner (0600) from the start.
 */
import { closeSync, constants, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_CONFIG_FILE, USER_CONFIG_FILE, userConfigDir } from '../config/paths.js';
import { starterConfig } from '../core/starter-config.js';
import { InputError, TiCheckError } from '../errors.js';
import type { ServiceDefinition } from '../services/types.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

export const INIT_OPTIONS = {
  project: {
    type: 'boolean',
    default: false,
    describe: `write ${PROJECT_CONFIG_FILE} in the current directory instead of the user config`,
  },
  force: { type: 'boolean', default: false, describe: 'overwrite a config that is already there' },
} as const;

export async function runInit(
  args: { project: boolean; force: boolean },
  io: CliIo,
  registry: readonly ServiceDefinition[],
): Promise<number> {
  const file = args.project
    ? join(io.cwd, PROJECT_CONFIG_FILE)
    : join(userConfigDir(io.env), USER_CONFIG_FILE);
  writeConfig(file, starterConfig(registry), args.force);
  io.stdout.write(
    `wrote ${file}\nnext: export the keys of the services you use (TI_CHECK_<ID>_KEY, e.g. TI_CHECK_VIRUSTOTAL_KEY), then run: ti-check doctor\n`,
  );
  return EXIT.ok;
}

function writeConfig(file: string, text: string, force: boolean): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (!force) {
      // O_EXCL: refused even if another process creates the file meanwhile.
      const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      writeAll(fd, text);
      return;
    }
    // --force: a temp file renamed over the old one, so the config is whole or untouched.
    const temp = `${file}.${process.pid}.tmp`;
    try {
      writeAll(openSync(temp, 'wx', 0o600), text);
      renameSync(temp, file);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new InputError(`${file} already exists: keep it, or overwrite it with --force`);
    throw new TiCheckError(`cannot write ${file}: ${(error as Error).message}`, { cause: error });
  }
}

function writeAll(fd: number, text: string): void {
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
