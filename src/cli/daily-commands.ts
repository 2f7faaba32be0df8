/**
 * The daily surface around a lookup: `init` (a starter config), `doctor` (is every key working?),
 * `quota` (what today used of each limit) and `completion <shell>`. Registered on the program by main.ts in one call.
 */
import type { Argv } from 'yargs';
import type { ServiceDefinition } from '../services/types.js';
import { runCompletion } from './completion-command.js';
import { SHELLS, type Shell } from './completion-spec.js';
import { DOCTOR_OPTIONS, runDoctor } from './doctor-command.js';
import { INIT_OPTIONS, runInit } from './init-command.js';
import type { CliIo } from './io.js';
import { QUOTA_OPTIONS, runQuota } from './quota-command.js';
import { UsageError } from './usage-errors.js';

export function addDailyCommands(
  cli: Argv,
  io: CliIo,
  registry: readonly ServiceDefinition[],
  outcome: { exitCode: number },
): Argv {
  return cli
    .command(
      'init',
      'write a commented starter config (user config dir, or --project): every service, keys as environment-variable references',
      (y) => y.options(INIT_OPTIONS),
      async (argv) => {
        outcome.exitCode = await runInit({ project: argv.project, force: argv.force }, io, registry);
      },
    )
    .command(
      'doctor',
      'check the config and its permissions, then ask each configured service once: OK, rejected key, unreachable…',
      (y) => y.options(DOCTOR_OPTIONS),
      async (argv) => {
        outcome.exitCode = await runDoctor(
          { services: argv.services, timeout: argv.timeout, config: argv.config as string | undefined },
          io,
          registry,
        );
      },
    )
    .command(
      'quota',
      "each service's rate limit, what today used of it and what is left (the fleet's, with a shared cache), and the vendor's own count",
      (y) => y.options(QUOTA_OPTIONS),
      async (argv) => {
        outcome.exitCode = await runQuota(
          {
            services: argv.services,
            cache: argv.cache,
            json: argv.json,
            config: argv.config as string | undefined,
          },
          io,
          registry,
        );
      },
    )
    .command(
      // [shell], not <shell>: a missing one gets its own line, not yargs' generic one.
      'completion [shell]',
      'print the shell completion script (bash, zsh, fish): source <(ti-check completion bash)',
      (y) => y.positional('shell', { choices: SHELLS }),
      async (argv) => {
        if (!argv.shell) throw new UsageError(`completion: which shell? ${SHELLS.join(', ')}`);
        outcome.exitCode = await runCompletion({ shell: argv.shell as Shell }, io, registry);
      },
    );
}
