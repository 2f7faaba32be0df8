/**
 * What shell completion knows, read from the same option tables yargs is given (check-options.ts,
 * global-options.ts and each command's own) and from the service registry, so the scripts never
 * drift from the parser: test/cli/completion.test.ts compares them with every command's --help.
 */
import type { ServiceDefinition } from '../services/types.js';
import { CACHE_ACTIONS, CACHE_OPTIONS } from './cache-command.js';
import { checkOptions } from './check-options.js';
import { DOCTOR_OPTIONS } from './doctor-command.js';
import { GLOBAL_OPTIONS } from './global-options.js';
import { INIT_OPTIONS } from './init-command.js';
import { QUOTA_OPTIONS } from './quota-command.js';
import { SERVICES_OPTIONS } from './services-command.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What follows a flag: nothing, a service id list, a file, one of some words, or a free value. */
export type ValueKind = 'none' | 'services' | 'files' | 'any' | readonly string[];

export interface FlagSpec {
  /** `--services`, and its aliases (`-o`, `--verbose`). */
  names: string[];
  value: ValueKind;
}

export interface CommandSpec {
  /** `check` is the default command (`ti-check [files..]`), typed without a name. */
  name: string;
  flags: FlagSpec[];
  /** What its positionals are. */
  positional: 'files' | 'none' | readonly string[];
}

export interface CompletionSpec {
  commands: CommandSpec[];
  serviceIds: string[];
}

/** The fields of a yargs option this reads; `complete: 'services'` marks a list of service ids. */
interface OptionLike {
  type?: string;
  alias?: string | readonly string[];
  choices?: readonly string[];
  default?: unknown;
  complete?: 'services';
  negatable?: boolean;
}

/** Words a script can hold unquoted; anything else (an odd plugin id) is left out. */
const SAFE_WORD = /^[A-Za-z0-9][A-Za-z0-9._+:-]*$/;

export function completionSpec(registry: readonly ServiceDefinition[]): CompletionSpec {
  const command = (name: string, options: object, positional: CommandSpec['positional']): CommandSpec => ({
    name,
    flags: [...flagsOf(options), ...flagsOf(GLOBAL_OPTIONS), ...BUILT_IN],
    positional,
  });
  return {
    commands: [
      command('check', checkOptions(registry), 'files'),
      command('services', SERVICES_OPTIONS, 'none'),
      command('cache', CACHE_OPTIONS, CACHE_ACTIONS),
      command('init', INIT_OPTIONS, 'none'),
      command('doctor', DOCTOR_OPTIONS, 'none'),
      command('quota', QUOTA_OPTIONS, 'none'),
      command('completion', {}, SHELLS),
    ],
    serviceIds: registry.map((s) => s.id).filter((id) => SAFE_WORD.test(id)),
  };
}

/** yargs' own: --help and --version on every command. */
const BUILT_IN: FlagSpec[] = [
  { names: ['--help', '-h'], value: 'none' },
  { names: ['--version', '-V'], value: 'none' },
];

function flagsOf(options: object): FlagSpec[] {
  return Object.entries(options as Record<string, OptionLike>).flatMap(([key, option]) => {
    const aliases = option.alias === undefined ? [] : [option.alias].flat();
    const names = [key, ...aliases].map((name) => (name.length === 1 ? `-${name}` : `--${name}`));
    const flag: FlagSpec = { names, value: valueKind(option) };
    // A boolean that is on by default (or unset) is switched off with --no-<name>; so is `--cache`.
    const negated = (option.type === 'boolean' && option.default !== false) || option.negatable === true;
    return negated ? [flag, { names: [`--no-${key}`], value: 'none' }] : [flag];
  });
}

function valueKind(option: OptionLike): ValueKind {
  if (option.type === 'boolean') return 'none';
  if (option.choices) return option.choices.filter((word) => SAFE_WORD.test(word));
  if (option.complete === 'services') return 'services';
  if (option.type === 'number') return 'any';
  return 'files';
}
