/**
 * The yargs program: every command, its help and its usage errors. main.ts loads it for any command
 * line but the plain check command (src/cli/plain-check.ts), and tests drive the real parser through
 * `createCli`.
 */
import yargs, { type Argv } from 'yargs';
import { SERVICES } from '../services/index.js';
import type { ServiceDefinition } from '../services/types.js';
import { VERSION } from '../version.js';
import { CACHE_ACTIONS, CACHE_OPTIONS, type CacheAction, runCache } from './cache-command.js';
import { checkArgv } from './check-argv.js';
import { runCheck } from './check-command.js';
import { type CheckArgs, checkArgsFrom, checkOptions, negatableStrings } from './check-options.js';
import { addDailyCommands } from './daily-commands.js';
import { EXIT } from './exit-codes.js';
import { GLOBAL_OPTIONS } from './global-options.js';
import { type CliIo, withColor } from './io.js';
import { runServices, SERVICES_OPTIONS } from './services-command.js';
import { knownFlags, oneLine, UnknownArguments, UsageError } from './usage-errors.js';

/** Where command handlers leave their exit code for `main` (yargs handlers return nothing). */
export interface CliOutcome {
  exitCode: number;
}

/** What the check command runs (tests hand in their own, to see what yargs made of a command line). */
export type CheckCommand = (
  args: CheckArgs,
  io: CliIo,
  registry: readonly ServiceDefinition[],
) => Promise<number>;

export function createCli(
  io: CliIo,
  registry: readonly ServiceDefinition[] = SERVICES,
  outcome: CliOutcome = { exitCode: EXIT.ok },
  check: CheckCommand = runCheck,
): Argv {
  const cli = yargs()
    .scriptName('ti-check')
    .usage(
      '$0 [files..] [--hash <md5|sha1|sha256>]\n\nAsk threat-intelligence services what they know about a file, by hash only.\nNo file content ever leaves this machine.',
    )
    .options(GLOBAL_OPTIONS)
    .command(
      '$0 [files..]',
      'look files (or --hash values) up in every enabled service',
      (y) =>
        y
          .positional('files', {
            type: 'string',
            array: true,
            default: [],
            describe: 'files or directories to hash and look up; - reads hashes from stdin',
          })
          .options(checkOptions(registry))
          .check(checkArgv)
          .example('$0 sample.exe', 'hash a file and ask every enabled service')
          .example('$0 --hash 44d88612fea8a8f36de82e1278abb02f --json', 'look a hash up, JSON on stdout')
          .example('$0 --services virustotal,hashlookup build/*.dll', 'only these services')
          .example('$0 --fail-on suspicious dist/app.exe', 'a CI gate: exit 1 on suspicious or worse')
          .example(
            '$0 dist/* --format sarif -o ti-check.sarif',
            'SARIF for code scanning, stdout left clean',
          ),
      async (argv) => {
        outcome.exitCode = await check(checkArgsFrom(argv), withColor(io, argv.color), registry);
      },
    )
    .command(
      'services',
      'list every service: kind, key, hash types, rate limit, and whether it is ready here',
      (y) => y.options(SERVICES_OPTIONS),
      async (argv) => {
        outcome.exitCode = await runServices(
          { json: argv.json, config: argv.config },
          withColor(io, argv.color),
          registry,
        );
      },
    )
    .command(
      'cache <action>',
      'the answer cache: stats, clear (remove everything), prune (remove expired answers)',
      (y) => y.positional('action', { choices: CACHE_ACTIONS, demandOption: true }).options(CACHE_OPTIONS),
      async (argv) => {
        outcome.exitCode = await runCache(
          { action: argv.action as CacheAction, json: argv.json, config: argv.config, cache: argv.cache },
          withColor(io, argv.color),
          registry,
        );
      },
    );
  // init, doctor, completion <shell> (src/cli/daily-commands.ts).
  addDailyCommands(cli, io, registry, outcome);
  cli
    .epilogue(
      'Exit codes: 0 nothing reached the fail level · 1 a file reached it (or got no answer, with --fail-on-incomplete) · 2 usage, config or input error · 3 some file got no answer at all · 4 a bug in ti-check · 130 interrupted · 141 the reader of stdout went away · 143 SIGTERM\nKeys: TI_CHECK_<SERVICE>_KEY, e.g. TI_CHECK_VIRUSTOTAL_KEY. Docs: README.md',
    )
    .version(VERSION)
    .alias('help', 'h')
    .alias('version', 'V')
    .strict()
    // A list option takes one value per flag (repeat it, or use commas): otherwise
    // `--services hashlookup sample.exe` would read sample.exe as a second service.
    .parserConfiguration({ 'greedy-arrays': false })
    .exitProcess(false)
    .wrap(Math.min(110, io.stdout.columns ?? 100))
    .fail((message, error) => {
      // yargs' own validation errors (YError) are usage errors too; anything else is ours.
      if (error && error.name !== 'YError') throw error;
      const unknown = /^Unknown arguments?: (.+)$/.exec(message ?? '');
      if (unknown?.[1]) {
        // yargs names `--bogus-flag` twice, as bogus-flag and bogusFlag.
        const names = unknown[1].split(', ');
        const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
        const reported = names.filter((name) => name === kebab(name) || !names.includes(kebab(name)));
        // Not in yargs' typings, but public: the options of the command being parsed.
        const options = (cli as unknown as { getOptions(): Parameters<typeof knownFlags>[0] }).getOptions();
        throw new UnknownArguments(
          reported,
          knownFlags({ ...options, boolean: [...options.boolean, ...negatableStrings()] }),
        );
      }
      throw new UsageError(oneLine(message ?? error?.message ?? 'invalid arguments'));
    });
  return cli;
}
