/**
 * The yargs program. `createCli` is exported so tests drive the real parser; only bin.ts runs it
 * for a user, and only bin.ts calls process.exit.
 */
import yargs, { type Argv } from 'yargs';
import { MAX_TIMEOUT_SECONDS, timeoutSeconds } from '../config/schema.js';
import { SORT_ORDERS, type SortOrder } from '../render/common.js';
import { FORMATS, type Format } from '../render/index.js';
import { SERVICES } from '../services/index.js';
import type { ServiceDefinition } from '../services/types.js';
import { VERSION } from '../version.js';
import { CACHE_ACTIONS, type CacheAction, runCache } from './cache-command.js';
import { runCheck, STDIN_ARG } from './check-command.js';
import { unknownEnvWarnings } from './env-check.js';
import { EXIT, FAIL_LEVELS, type FailLevel } from './exit-codes.js';
import { type CliIo, terminalLines } from './io.js';
import { runServices } from './services-command.js';
import {
  describeUnknown,
  knownFlags,
  oneLine,
  refuseMistypedCommand,
  reportError,
  UnknownArguments,
  UsageError,
} from './usage-errors.js';

/** `a,b --x c` → ['a', 'b', 'c']. */
function splitList(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Where command handlers leave their exit code for `main` (yargs handlers return nothing). */
export interface CliOutcome {
  exitCode: number;
}

export function createCli(
  io: CliIo,
  registry: readonly ServiceDefinition[] = SERVICES,
  outcome: CliOutcome = { exitCode: EXIT.ok },
): Argv {
  const cli = yargs()
    .scriptName('ti-check')
    .usage(
      '$0 [files..] [--hash <md5|sha1|sha256>]\n\nAsk threat-intelligence services what they know about a file, by hash only.\nNo file content ever leaves this machine.',
    )
    .option('color', {
      type: 'boolean',
      // No default: absent, NO_COLOR / FORCE_COLOR and the terminal decide.
      describe:
        'colour even when stdout is not a terminal; --no-color: never (wins over NO_COLOR, FORCE_COLOR)',
    })
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
          .option('hash', {
            type: 'string',
            requiresArg: true,
            array: true,
            default: [],
            describe: 'look up this MD5, SHA1 or SHA256 (repeatable)',
          })
          .option('format', {
            choices: FORMATS,
            requiresArg: true,
            // No yargs default: a --format the user gave must be told apart from none (--json --format csv).
            describe: 'output format (default: table)',
          })
          .option('json', {
            type: 'boolean',
            default: false,
            describe: 'print the JSON report (schemaVersion 1) on stdout: --format json',
          })
          .option('output', {
            alias: 'o',
            type: 'string',
            requiresArg: true,
            array: true,
            describe:
              'write the report to this file (atomically); repeat for several formats at once, each from its extension (.sarif, .md, .json, .html, .csv, .ndjson, .txt), with the table on stdout',
          })
          .option('quiet', {
            alias: 'q',
            type: 'boolean',
            default: false,
            describe: 'no report on stdout and no progress line: the exit code and the gate line say it all',
          })
          .option('services', {
            type: 'string',
            requiresArg: true,
            array: true,
            describe: `only these services (comma-separated ids or aliases, any case): ${registry.map((s) => s.id).join(', ')}`,
            coerce: splitList,
          })
          .option('timeout', {
            type: 'number',
            requiresArg: true,
            describe: 'seconds each service may take (default 20)',
          })
          .option('config', {
            type: 'string',
            requiresArg: true,
            describe: 'read this config file instead of searching for one',
          })
          .option('fail-on', {
            choices: FAIL_LEVELS,
            requiresArg: true,
            describe: 'exit 1 when a file is at least this bad (default malicious; config policy.failOn)',
          })
          .option('fail-on-incomplete', {
            type: 'boolean',
            describe: 'fail closed: exit 1, not 3, when no service could answer for a file',
          })
          .option('allow', {
            type: 'string',
            requiresArg: true,
            describe: 'allow-list file: "<hash> <comment>" per line; those files count as clean',
          })
          .option('min-malicious-engines', {
            type: 'number',
            requiresArg: true,
            describe: 'engines that must say malicious for a multi-engine service to say so (default 3)',
          })
          .option('min-detection-ratio', {
            type: 'number',
            requiresArg: true,
            describe: 'and this share of its engines, 0 < r <= 1 (e.g. 0.1)',
          })
          .option('trusted-engines', {
            type: 'string',
            requiresArg: true,
            array: true,
            describe: 'engines whose single detection counts as malicious (comma-separated)',
            coerce: splitList,
          })
          .option('ignore-services', {
            type: 'string',
            requiresArg: true,
            array: true,
            describe: 'services whose verdict does not count (comma-separated ids or aliases)',
            coerce: splitList,
          })
          .option('all', {
            type: 'boolean',
            default: false,
            describe: 'list every service and engine (by default flagged rows are listed, the rest counted)',
          })
          .options(BATCH_OPTIONS)
          .option('open', {
            type: 'boolean',
            default: false,
            describe: "open the vendors' pages for found files",
          })
          .option('debug', {
            alias: ['verbose', 'v'],
            type: 'boolean',
            default: false,
            describe: 'log each request (URL with keys masked, status, time), cache hit and wait to stderr',
          })
          .check((argv) => {
            // The same bounds as `timeout` in a config file (and far below Node's timer limit).
            if (argv.timeout !== undefined && !timeoutSeconds.safeParse(argv.timeout).success)
              throw new UsageError(`--timeout: expected seconds above 0, at most ${MAX_TIMEOUT_SECONDS}`);
            refuseConflicts(argv);
            const engines = argv['min-malicious-engines'];
            if (engines !== undefined && !(Number.isInteger(engines) && engines >= 1))
              throw new UsageError('--min-malicious-engines: expected a whole number from 1');
            const ratio = argv['min-detection-ratio'];
            if (ratio !== undefined && !(ratio > 0 && ratio <= 1))
              throw new UsageError('--min-detection-ratio: expected a number above 0, at most 1');
            return true;
          })
          .example('$0 sample.exe', 'hash a file and ask every enabled service')
          .example('$0 --hash 44d88612fea8a8f36de82e1278abb02f --json', 'look a hash up, JSON on stdout')
          .example('$0 --services virustotal,hashlookup build/*.dll', 'only these services')
          .example('$0 --fail-on suspicious dist/app.exe', 'a CI gate: exit 1 on suspicious or worse')
          .example(
            '$0 dist/* --format sarif -o ti-check.sarif',
            'SARIF for code scanning, stdout left clean',
          ),
      async (argv) => {
        outcome.exitCode = await runCheck(
          {
            // Everything after `--` is a file too, even a name that starts with a dash.
            files: [...(argv.files as string[]), ...argv._.map(String)],
            hash: argv.hash as string[],
            format: argv.json ? 'json' : argv.ndjson ? 'ndjson' : (argv.format as Format | undefined),
            output: argv.output,
            quiet: argv.quiet,
            services: argv.services,
            timeout: argv.timeout,
            config: argv.config,
            all: argv.all,
            open: argv.open,
            hashFile: argv['hash-file'],
            recursive: argv.recursive,
            followSymlinks: argv['follow-symlinks'],
            include: argv.include,
            exclude: argv.exclude,
            maxSize: argv['max-size'],
            cache: argv.cache,
            refresh: argv.refresh,
            offline: argv.offline,
            plan: argv.plan,
            skipKnownGood: argv['skip-known-good'],
            sort: argv.sort as SortOrder | undefined,
            onlyFlagged: argv['only-flagged'],
            debug: argv.debug,
            failOn: argv['fail-on'] as FailLevel | undefined,
            failOnIncomplete: argv['fail-on-incomplete'],
            allow: argv.allow,
            minMaliciousEngines: argv['min-malicious-engines'],
            minDetectionRatio: argv['min-detection-ratio'],
            trustedEngines: argv['trusted-engines'],
            ignoreServices: argv['ignore-services'],
          },
          withColor(io, argv.color),
          registry,
        );
      },
    )
    .command(
      'services',
      'list every service: kind, key, hash types, rate limit, and whether it is ready here',
      (y) =>
        y
          .option('json', { type: 'boolean', default: false, describe: 'print the catalogue as JSON' })
          .option('config', {
            type: 'string',
            requiresArg: true,
            describe: 'read this config file instead of searching for one',
          }),
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
      (y) =>
        y
          .positional('action', { choices: CACHE_ACTIONS, demandOption: true })
          .option('json', { type: 'boolean', default: false, describe: 'print as JSON' })
          .option('config', {
            type: 'string',
            requiresArg: true,
            describe: 'read this config file instead of searching for one',
          }),
      async (argv) => {
        outcome.exitCode = await runCache(
          { action: argv.action as CacheAction, json: argv.json, config: argv.config },
          withColor(io, argv.color),
          registry,
        );
      },
    )
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
        throw new UnknownArguments(reported, knownFlags(options));
      }
      throw new UsageError(oneLine(message ?? error?.message ?? 'invalid arguments'));
    });
  return cli;
}

/**
 * `--color` / `--no-color` win over NO_COLOR, FORCE_COLOR and the terminal: the commands see them as
 * the environment variable that says the same, so every renderer decides colour in one place.
 */
export function withColor(io: CliIo, color: boolean | undefined): CliIo {
  if (color === undefined) return io;
  const env = { ...io.env };
  if (color) {
    delete env.NO_COLOR;
    env.FORCE_COLOR = '1';
  } else {
    env.NO_COLOR = '1';
  }
  return { ...io, env };
}

/** Flags that contradict each other are refused, never resolved in silence. */
function refuseConflicts(argv: {
  json?: boolean;
  ndjson?: boolean;
  format?: string;
  offline?: boolean;
  refresh?: boolean;
  cache?: boolean;
}): void {
  const pairs: [boolean, string][] = [
    [argv.json === true && argv.ndjson === true, '--json and --ndjson'],
    [
      argv.json === true && argv.format !== undefined && argv.format !== 'json',
      `--json and --format ${argv.format}`,
    ],
    [
      argv.ndjson === true && argv.format !== undefined && argv.format !== 'ndjson',
      `--ndjson and --format ${argv.format}`,
    ],
    [
      argv.offline === true && argv.refresh === true,
      '--offline (the cache only) and --refresh (never the cache)',
    ],
    [argv.offline === true && argv.cache === false, '--offline (the cache only) and --no-cache'],
  ];
  const conflict = pairs.find(([clash]) => clash);
  if (conflict) throw new UsageError(`${conflict[1]} contradict each other: choose one`);
}

/** Batch scans, scheduling and the cache (README: "Batch scans", "The cache"). */
const BATCH_OPTIONS = {
  'hash-file': {
    type: 'string',
    requiresArg: true,
    array: true,
    describe: 'read hashes from this file (- = stdin), one per line, optional label after the hash',
  },
  recursive: { type: 'boolean', default: true, describe: 'walk directories recursively (--no-recursive)' },
  'follow-symlinks': {
    type: 'boolean',
    default: false,
    describe: 'follow symlinks while walking (loops are detected)',
  },
  include: { type: 'string', requiresArg: true, array: true, describe: 'only files matching these globs' },
  exclude: {
    type: 'string',
    requiresArg: true,
    array: true,
    describe: 'skip files and folders matching these globs',
  },
  'max-size': { type: 'string', requiresArg: true, describe: 'skip files larger than this (500k, 10M, 2G)' },
  ndjson: {
    type: 'boolean',
    default: false,
    describe: 'one JSON result per line as each target completes: --format ndjson',
  },
  cache: {
    type: 'boolean',
    default: true,
    describe: 'use the answer cache (--no-cache: neither read nor write it)',
  },
  refresh: {
    type: 'boolean',
    default: false,
    describe: 'ask the services again and overwrite cached answers',
  },
  offline: { type: 'boolean', default: false, describe: 'answer from the cache only, ask no service' },
  plan: {
    type: 'boolean',
    default: false,
    describe: 'dry run: lookups per service and time the rate limits need',
  },
  sort: {
    choices: SORT_ORDERS,
    requiresArg: true,
    describe: 'order of the report: worst first (verdict, the default), by path, or as given (input)',
  },
  'only-flagged': {
    type: 'boolean',
    default: false,
    describe: 'report only malicious, suspicious and unreadable targets (the exit code still counts all)',
  },
  'skip-known-good': {
    type: 'boolean',
    default: false,
    describe: 'ask known-good services (hashlookup) first; skip the rest for files they know as clean',
  },
} as const;

/** Runs the CLI and returns the exit code; writes one line to stderr for any error, never a stack. */
export async function main(
  argv: readonly string[],
  io: CliIo,
  registry?: readonly ServiceDefinition[],
): Promise<number> {
  // Every stderr line quotes something from outside sooner or later: make it terminal-safe once, here.
  const safeIo: CliIo = { ...io, stderr: terminalLines(io.stderr) };
  const outcome: CliOutcome = { exitCode: EXIT.ok };
  const cli = createCli(safeIo, registry, outcome);
  for (const warning of unknownEnvWarnings(io.env, registry ?? SERVICES)) {
    safeIo.stderr.write(`ti-check: ${warning}\n`);
  }
  try {
    let output = '';
    // yargs drops a lone "-"; carry it through as a marker the check command reads as stdin.
    const args = argv.map((arg) => (arg === '-' ? STDIN_ARG : arg));
    refuseMistypedCommand(args, io.cwd);
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
