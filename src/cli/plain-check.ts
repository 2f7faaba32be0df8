/**
 * The plain check command read without yargs: `ti-check sample.exe`, `ti-check --hash <sha256>
 * --json --offline`, a CI job's `ti-check dist/* --fail-on suspicious --format sarif -o x.sarif`.
 * Loading yargs (and the text-measuring it brings for help) is a fifth of a start-up that needs
 * none of it.
 *
 * Only a command line whose reading is beyond doubt is read here: the options of the check
 * command's table (src/cli/check-options.ts) as `--name value`, `--flag`, `--no-flag` and their
 * aliases (`-o file`, `-q`), and files.
 * Anything else (a command, --help, a short flag, `--name=value`, `--`, an unknown or repeated
 * option, a value yargs would refuse or read as a number) returns undefined, and yargs reads it as
 * before, with its own messages. test/cli/plain-check.test.ts holds this to yargs' own reading of
 * the same command lines.
 */
import type { CheckedOptions } from './check-argv.js';
import { camelCase, checkOptions } from './check-options.js';
import { GLOBAL_OPTIONS } from './global-options.js';

/** The parsed command line as yargs hands it to the check command: kebab and camelCase keys. */
export type PlainArgv = CheckedOptions &
  Record<string, unknown> & {
    _: (string | number)[];
    files: string[];
    color?: boolean;
  };

interface OptionSpec {
  type?: 'boolean' | 'string' | 'number';
  array?: boolean;
  choices?: readonly string[];
  default?: unknown;
  alias?: string | readonly string[];
  coerce?: (value: never) => unknown;
}

const TABLE: Record<string, OptionSpec> = { ...checkOptions([]), ...GLOBAL_OPTIONS };
/** `-o`, `-q`, `-v`, `--verbose` → the option's own name. */
const ALIASES = new Map(
  Object.entries(TABLE).flatMap(([name, spec]) =>
    [spec.alias ?? []]
      .flat()
      .map((alias) => [alias.length === 1 ? `-${alias}` : `--${alias}`, name] as const),
  ),
);
/** `--cache <url>` is a fleet's (and its coerce may refuse the value): yargs reads it. */
const LEFT_TO_YARGS = new Set(['cache']);
/** How yargs-parser tells a number from a word: such a file name is left to it. */
const NUMBER_LIKE = /^0x[0-9a-f]+$|^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;
const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;

export function plainCheckArgv(args: readonly string[]): PlainArgv | undefined {
  const given = new Map<string, unknown>();
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('-')) {
      // A bare word could be a command, or taken for a mistyped one, wherever it stands: yargs reads
      // its global options first and then can take `--json sample.exe cache` as `cache` with
      // json=sample.exe. Such a line is left to yargs.
      if (arg === '' || NUMBER_LIKE.test(arg) || /^[a-z]+$/.test(arg)) return undefined;
      files.push(arg);
      continue;
    }
    const alias = ALIASES.get(arg);
    if (alias === undefined && (!arg.startsWith('--') || arg.includes('='))) return undefined;
    let name = alias ?? arg.slice(2);
    let spec = TABLE[name];
    let value: unknown;
    if (spec === undefined && name.startsWith('no-')) {
      name = name.slice(3);
      spec = TABLE[name];
      if (spec?.type !== 'boolean' && name !== 'cache') return undefined;
      value = false;
    } else if (spec === undefined || LEFT_TO_YARGS.has(name)) {
      return undefined;
    } else if (spec.type === 'boolean') {
      // yargs would take a following true/false as this flag's value.
      const next = args[i + 1];
      if (next === 'true' || next === 'false') return undefined;
      value = true;
    } else {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('-') || next === '') return undefined;
      i++;
      if (spec.type === 'number') {
        if (!PLAIN_NUMBER.test(next)) return undefined;
        value = Number(next);
      } else if (spec.choices) {
        if (!spec.choices.includes(next)) return undefined;
        value = next;
      } else {
        value = next;
      }
    }
    if (spec?.array) {
      const values = (given.get(name) as unknown[] | undefined) ?? [];
      given.set(name, [...values, value]);
    } else if (given.has(name)) {
      return undefined;
    } else {
      given.set(name, value);
    }
  }
  const argv: PlainArgv = { _: [], files };
  for (const [name, spec] of Object.entries(TABLE)) {
    let value = given.has(name) ? given.get(name) : spec.default;
    if (value === undefined) continue;
    if (Array.isArray(value)) value = [...value];
    if (given.has(name) && spec.coerce) value = spec.coerce(value as never);
    argv[name] = value;
    argv[camelCase(name)] = value;
  }
  return argv;
}
