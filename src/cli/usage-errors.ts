/** How the CLI words what went wrong: yargs' complaints in one line, a mistyped flag or command, any error. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, InputError, TiCheckError } from '../errors.js';
import { closest, didYouMean } from '../suggest.js';
import { EXIT, internalErrorLine } from './exit-codes.js';
import type { CliIo } from './io.js';

/** Raised for yargs' own complaints (unknown flag, bad choice) so they exit 2 like other input errors. */
export class UsageError extends InputError {
  override name = 'UsageError';
}

/**
 * Strict mode's "Unknown argument(s): a, b", with the flags the command knew at that moment: main
 * words it once it can tell a mistyped flag (`--servics`) from a stray word (`services extra`).
 */
export class UnknownArguments extends Error {
  constructor(
    readonly names: readonly string[],
    readonly flags: readonly string[],
  ) {
    super(`unknown arguments: ${names.join(', ')}`);
  }
}

/** `--services`, `-o`, `--no-cache`: every spelling of a flag the command in hand accepts. */
export function knownFlags(options: {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  boolean: string[];
}): string[] {
  const names = [...Object.keys(options.key), ...Object.values(options.alias).flat()];
  return [...names, ...options.boolean.map((name) => `no-${name}`)].map(flag);
}

function flag(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** `unknown option --servics (did you mean --services?)`; a word no option took: `unexpected argument "x"`. */
export function describeUnknown(error: UnknownArguments, args: readonly string[]): string {
  // How the user spelled it: yargs reports `--no-cach` as `cach`.
  const typed = (name: string): string | undefined =>
    [flag(name), `--no-${name}`].find((spelling) =>
      args.some((arg) => arg === spelling || arg.startsWith(`${spelling}=`)),
    ) ??
    (name.length === 1 && args.some((arg) => /^-[^-]/.test(arg) && arg.includes(name))
      ? flag(name)
      : undefined);
  const parts = error.names.map((name) => {
    const spelled = typed(name);
    if (!spelled) return `unexpected argument "${name}"`;
    // One letter is too little to guess from: -x is as near -o as -h.
    const hint = name.length > 1 ? didYouMean(closest(spelled, error.flags), (n) => n) : '';
    return `unknown option ${spelled}${hint ? ` (${hint})` : ''}`;
  });
  return parts.join('; ');
}

/** A suggestion already says what to do: the help hint is only for messages without one. */
function hasSuggestion(message: string): boolean {
  return /did you mean [^)]*\?\)$/.test(message);
}

/**
 * yargs spreads some complaints over lines ("Invalid values:\n  Argument: x, Given: …"); the
 * promise is one line. A bad choice reads `--fail-on: "bogus" is not one of malicious, suspicious, none`.
 */
export function oneLine(message: string): string {
  const choice = /Argument: (\S+), Given: (.+?), Choices: (.+)$/m.exec(message);
  if (choice) {
    const [, name = '', given = '', choices = ''] = choice;
    const option = POSITIONAL_OF[name] ?? `--${name}`;
    const valid = choices.replaceAll('"', '').split(', ');
    const hint = didYouMean(closest(given.replaceAll('"', ''), valid));
    return `${option}: ${given} is not one of ${valid.join(', ')}${hint ? ` (${hint})` : ''}`;
  }
  const bare = /^Not enough arguments following: (\S+)$/.exec(message.trim());
  if (bare) return `${flag(bare[1] ?? '')}: needs a value`;
  // Only `cache <action>` has a required positional.
  if (/^Not enough non-option arguments/.test(message)) return 'cache: which one? stats, clear or prune';
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/** The commands a mistyped first word is compared with (every command but the default check). */
export const COMMANDS = ['services', 'cache', 'init', 'doctor', 'quota', 'completion'];
/** A command's positional → how a message names it (`completion: "tcsh" is not one of …`). */
const POSITIONAL_OF: Record<string, string> = { action: 'cache', shell: 'completion' };

/**
 * `ti-check servces` would look for a file named servces: when no such file exists and the word is
 * a near miss of a command, say which command was meant instead of "no such file".
 */
export function refuseMistypedCommand(args: readonly string[], cwd: string): void {
  const first = args[0];
  if (first === undefined || first.startsWith('-') || COMMANDS.includes(first)) return;
  const meant = closest(first, COMMANDS);
  if (meant.length === 0 || existsSync(resolve(cwd, first))) return;
  throw new UsageError(`unknown command "${first}" (${didYouMean(meant.map((c) => `ti-check ${c}`))})`);
}

export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    // One line, the hint included: the promise is a one-line error for bad input.
    const help = hasSuggestion(error.message) ? '' : ' (see ti-check --help)';
    io.stderr.write(`ti-check: ${error.message}${help}\n`);
    return EXIT.usage;
  }
  if (error instanceof InputError || error instanceof ConfigError) {
    io.stderr.write(`ti-check: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof TiCheckError) {
    io.stderr.write(`ti-check: ${error.message}\n`);
    return EXIT.usage;
  }
  io.stderr.write(internalErrorLine(error));
  return EXIT.internal;
}
