/**
 * The CLI: a command line in, an exit code out. The plain check command (`ti-check sample.exe
 * --json`, most runs) is read by src/cli/plain-check.ts; anything else goes to the yargs program
 * (src/cli/program.ts), loaded only then. run.ts runs it for a user and sets the exit code.
 */
import { SERVICES } from '../services/index.js';
import type { ServiceDefinition } from '../services/types.js';
import { checkArgv } from './check-argv.js';
import { runCheck, STDIN_ARG } from './check-command.js';
import { checkArgsFrom } from './check-options.js';
import { EXIT } from './exit-codes.js';
import { type CliIo, terminalLines, withColor } from './io.js';
import { plainCheckArgv } from './plain-check.js';
import type { CliOutcome } from './program.js';
import {
  describeUnknown,
  refuseMistypedCommand,
  reportError,
  UnknownArguments,
  UsageError,
} from './usage-errors.js';

/** Runs the CLI and returns the exit code; writes one line to stderr for any error, never a stack. */
export async function main(
  argv: readonly string[],
  io: CliIo,
  registry?: readonly ServiceDefinition[],
): Promise<number> {
  // Every stderr line quotes something from outside sooner or later: make it terminal-safe once, here.
  const safeIo: CliIo = { ...io, stderr: terminalLines(io.stderr) };
  const outcome: CliOutcome = { exitCode: EXIT.ok };
  try {
    let output = '';
    // yargs drops a lone "-"; carry it through as a marker the check command reads as stdin.
    const args = argv.map((arg) => (arg === '-' ? STDIN_ARG : arg));
    refuseMistypedCommand(args, io.cwd);
    const plain = plainCheckArgv(args);
    if (plain) {
      checkArgv(plain);
      return await runCheck(checkArgsFrom(plain), withColor(safeIo, plain.color), registry ?? SERVICES);
    }
    const { createCli } = await import('./program.js');
    // Unknown TI_CHECK_* variables are named once the plugins are known (src/cli/config.ts).
    const cli = createCli(safeIo, registry, outcome);
    await cli.parseAsync(args, {}, (_error, _parsed, text) => {
      output = text;
    });
    if (output) io.stdout.write(`${output}\n`);
    return outcome.exitCode;
  } catch (error) {
    return reportError(
      error instanceof UnknownArguments ? new UsageError(describeUnknown(error, argv)) : error,
      safeIo,
    );
  }
}
