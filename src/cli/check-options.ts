/**
 * The check command's options, declared once: yargs takes the table as it is, and the arguments the
 * command runs with (`CheckArgs`) are derived from it, each flag under its camelCase name.
 */
import type { InferredOptionType } from 'yargs';
import { InputError } from '../errors.js';
import type { Policy } from '../model/policy.js';
import { SORT_ORDERS } from '../render/common.js';
import { FORMATS, type Format } from '../render/index.js';
import type { ServiceDefinition } from '../services/types.js';
import { FAIL_LEVELS } from './exit-codes.js';

/** The string options of the table that `--no-<name>` turns off (`--no-cache`). */
export function negatableStrings(): string[] {
  return Object.entries(checkOptions([]))
    .filter(([, option]) => 'negatable' in option)
    .map(([name]) => name);
}

/** `a,b --x c` → ['a', 'b', 'c']. */
export function splitList(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * `--cache redis://…` → the URL; `--no-cache` → false. Once a yes/no flag, so a bare `--cache` (the
 * default anyway) still means the local cache; any other word is refused rather than taken as a file.
 */
export function cacheArgument(value: string | boolean | undefined): string | false | undefined {
  if (value === false || value === 'false') return false;
  if (value === undefined || value === true || value === '' || value === 'true') return undefined;
  if (/^rediss?:\/\//i.test(value)) return value;
  throw new InputError(
    `--cache takes a Redis URL (redis://host:6379/0, rediss://…), not "${value.slice(0, 80)}": for the local cache, leave it out`,
  );
}

/** `--cache <redis://…>` of a subcommand that reads the cache (cache, quota). */
export const SHARED_CACHE_OPTION = {
  type: 'string',
  requiresArg: true,
  describe:
    "a fleet's shared cache: redis://host:6379/0 (default: TI_CHECK_CACHE_URL, cache.url, else the local cache)",
} as const;

/** A `--services a,b` option of a subcommand (doctor, quota): ids or aliases, repeatable. */
export function servicesListOption(describe: string) {
  return {
    type: 'string',
    requiresArg: true,
    array: true,
    complete: 'services',
    describe,
    coerce: splitList,
  } as const;
}

/**
 * Every option of `ti-check [files..]`, in the order --help lists them. `policy` names the key of the
 * config's `policy` section a flag overrides (yargs ignores it; `policyFlagsFrom` reads it);
 * `negatable` marks a string option that `--no-<name>` switches off, as a boolean's;
 * `complete: 'services'` marks a list of service ids for shell completion (src/cli/completion-spec.ts).
 */
export function checkOptions(registry: readonly ServiceDefinition[]) {
  return {
    hash: {
      type: 'string',
      requiresArg: true,
      array: true,
      default: [] as string[],
      describe: 'look up this MD5, SHA1 or SHA256 (repeatable)',
    },
    format: {
      choices: FORMATS,
      requiresArg: true,
      // No yargs default: a --format the user gave must be told apart from none (--json --format csv).
      describe: 'output format (default: table)',
    },
    json: {
      type: 'boolean',
      default: false,
      describe: 'print the JSON report (schemaVersion 1) on stdout: --format json',
    },
    output: {
      alias: 'o',
      type: 'string',
      requiresArg: true,
      array: true,
      describe:
        'write the report to this file (atomically); repeat for several formats at once, each from its extension (.sarif, .md, .json, .html, .csv, .ndjson, .txt), with the table on stdout',
    },
    quiet: {
      alias: 'q',
      type: 'boolean',
      default: false,
      describe: 'no report on stdout and no progress line: the exit code and the gate line say it all',
    },
    services: {
      type: 'string',
      requiresArg: true,
      array: true,
      complete: 'services',
      describe: `only these services (comma-separated ids or aliases, any case): ${registry.map((s) => s.id).join(', ')}`,
      coerce: splitList,
    },
    timeout: {
      type: 'number',
      requiresArg: true,
      describe: 'seconds each service may take (default 20)',
    },
    'fail-on': {
      policy: 'failOn',
      choices: FAIL_LEVELS,
      requiresArg: true,
      describe: 'exit 1 when a file is at least this bad (default malicious; config policy.failOn)',
    },
    'fail-on-incomplete': {
      policy: 'failOnIncomplete',
      type: 'boolean',
      describe: 'fail closed: exit 1, not 3, when no service could answer for a file',
    },
    // Detection drift (README: "Detection drift").
    baseline: {
      type: 'string',
      requiresArg: true,
      describe: 'compare each target with this earlier JSON report: new, gone and changed detections',
    },
    'fail-on-drift': {
      policy: 'failOnDrift',
      type: 'boolean',
      describe: 'with --baseline: exit 1 only when a target got worse than in the baseline',
    },
    allow: {
      type: 'string',
      requiresArg: true,
      describe: 'allow-list file: "<hash> <comment>" per line; those files count as clean',
    },
    'min-malicious-engines': {
      policy: 'minMaliciousEngines',
      type: 'number',
      requiresArg: true,
      describe: 'engines that must say malicious for a multi-engine service to say so (default 3)',
    },
    'min-detection-ratio': {
      policy: 'minDetectionRatio',
      type: 'number',
      requiresArg: true,
      describe: 'and this share of its engines, 0 < r <= 1 (e.g. 0.1)',
    },
    'trusted-engines': {
      policy: 'trustedEngines',
      type: 'string',
      requiresArg: true,
      array: true,
      describe: 'engines whose single detection counts as malicious (comma-separated)',
      coerce: splitList,
    },
    'ignore-services': {
      policy: 'ignoreServices',
      type: 'string',
      requiresArg: true,
      array: true,
      complete: 'services',
      describe: 'services whose verdict does not count (comma-separated ids or aliases)',
      coerce: splitList,
    },
    all: {
      type: 'boolean',
      default: false,
      describe: 'list every service and engine (by default flagged rows are listed, the rest counted)',
    },
    // Batch scans, scheduling and the cache (README: "Batch scans", "The cache").
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
    'max-size': {
      type: 'string',
      requiresArg: true,
      describe: 'skip files larger than this (500k, 10M, 2G)',
    },
    ndjson: {
      type: 'boolean',
      default: false,
      describe: 'one JSON result per line as each target completes: --format ndjson',
    },
    cache: {
      type: 'string',
      describe:
        'share answers and rate limits with a fleet on Redis: redis://host:6379/0 or rediss:// (default: the local cache; --no-cache: none)',
      coerce: cacheArgument,
      // A string option that `--no-cache` still turns off (for completion and "did you mean").
      negatable: true,
    },
    'cache-required': {
      type: 'boolean',
      default: false,
      describe: 'with a shared cache: stop (exit 2) rather than go on locally when Redis is out of reach',
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
    open: {
      type: 'boolean',
      default: false,
      describe: "open the vendors' pages for found files",
    },
    debug: {
      alias: ['verbose', 'v'],
      type: 'boolean',
      default: false,
      describe: 'log each request (URL with keys masked, status, time), cache hit and wait to stderr',
    },
  } as const;
}

type Table = ReturnType<typeof checkOptions>;
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
/** Each option as yargs parses it, under its camelCase name. */
type CheckFlags = { -readonly [K in keyof Table as CamelCase<K & string>]: InferredOptionType<Table[K]> };

/** What `ti-check [paths..]` is asked to do: every option but the --json / --ndjson shorthands, and the files. */
export type CheckArgs = Omit<CheckFlags, 'json' | 'ndjson' | 'format'> & {
  /** Files and directories; `STDIN_ARG` (a lone `-`) reads hashes from stdin. */
  files: string[];
  /** `--config` (a program-wide option, src/cli/global-options.ts). */
  config?: string;
  /** `--format`, --json or --ndjson; undefined when none was given. */
  format?: Format;
};

type PolicyKey = keyof Policy;

/** The flags that override the config's `policy`, under the policy's own names (undefined: not given). */
export function policyFlagsFrom(args: CheckArgs): Partial<Policy> {
  const flags: Partial<Record<PolicyKey, unknown>> = {};
  for (const [name, option] of Object.entries(checkOptions([]))) {
    if ('policy' in option) flags[option.policy as PolicyKey] = args[camelCase(name) as keyof CheckArgs];
  }
  return flags as Partial<Policy>;
}

/** `fail-on` → `failOn`: how yargs names each option a second time, and CheckArgs names it. */
export const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The parsed command line → CheckArgs, by the table's names. */
export function checkArgsFrom(
  argv: Record<string, unknown> & { files?: unknown; _: (string | number)[] },
): CheckArgs {
  const names = Object.keys(checkOptions([])).map(camelCase);
  const flags = Object.fromEntries(names.map((name) => [name, argv[name]])) as CheckFlags;
  const { json, ndjson, format, ...rest } = flags;
  return {
    ...rest,
    config: argv.config as string | undefined,
    // Everything after `--` is a file too, even a name that starts with a dash.
    files: [...(argv.files as string[]), ...argv._.map(String)],
    format: json ? 'json' : ndjson ? 'ndjson' : format,
  };
}
