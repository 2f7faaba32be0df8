/**
 * The plain check command read without yargs (src/cli/plain-check.ts) means what yargs means: for
 * every command line it reads, the check command runs with the same arguments and colour as when
 * yargs reads it, or both refuse it with the same message. Whatever it leaves to yargs, yargs reads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkArgv } from '../../src/cli/check-argv.js';
import { STDIN_ARG } from '../../src/cli/check-command.js';
import { type CheckArgs, checkArgsFrom } from '../../src/cli/check-options.js';
import { type CliIo, withColor } from '../../src/cli/io.js';
import { plainCheckArgv } from '../../src/cli/plain-check.js';
import { createCli } from '../../src/cli/program.js';
import { fakeIo } from '../helpers/fake-io.js';

const SHA256 = '4f0913aea447d726ac42908d27b8305de18f0cd64422d69b4d21c74f8b33e46c';
const io = fakeIo();

type Reading = { args: CheckArgs; color: NodeJS.ProcessEnv } | { error: string };

const colorOf = (env: NodeJS.ProcessEnv) => ({ NO_COLOR: env.NO_COLOR, FORCE_COLOR: env.FORCE_COLOR });

async function yargsReading(argv: string[]): Promise<Reading | 'no check'> {
  let seen: Reading | undefined;
  const check = async (args: CheckArgs, checkIo: CliIo) => {
    seen = { args, color: colorOf(checkIo.env) };
    return 0;
  };
  try {
    await createCli(io, undefined, { exitCode: 0 }, check).parseAsync(argv, {}, () => {});
  } catch (error) {
    return { error: (error as Error).message };
  }
  return seen ?? 'no check';
}

function plainReading(argv: string[]): Reading | undefined {
  const plain = plainCheckArgv(argv);
  if (!plain) return undefined;
  try {
    checkArgv(plain);
    return { args: checkArgsFrom(plain), color: colorOf(withColor(io, plain.color).env) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const WORDS = [
  ...[
    'hash',
    'json',
    'ndjson',
    'format',
    'output',
    'quiet',
    'services',
    'timeout',
    'fail-on',
    'fail-on-incomplete',
    'baseline',
    'allow',
    'min-malicious-engines',
    'min-detection-ratio',
    'trusted-engines',
    'ignore-services',
    'all',
    'hash-file',
    'recursive',
    'include',
    'exclude',
    'max-size',
    'cache',
    'offline',
    'refresh',
    'plan',
    'sort',
    'only-flagged',
    'open',
    'debug',
    'color',
    'config',
  ].flatMap((name) => [`--${name}`, `--no-${name}`]),
  ...['-o', '-q', '-v', '-V', '-h', '--verbose', '--help', '--version', '--', '--json=true', '--bogus'],
  ...['json', 'csv', 'sarif', 'table', 'malicious', 'suspicious', 'none', 'path', 'input', 'verdict'],
  ...['5', '0.5', '10', '05', '1e3', '0x10', '-1', 'abc', 'true', 'false', '', ' '],
  ...['virustotal,hashlookup', 'hashlookup', 'a.json', 'x.sarif', '*.dll', '500k', 'redis://h:1/0'],
  ...[SHA256, 'sample.exe', '1.exe', '123', 'dir/file', 'services', 'cache', 'malware', STDIN_ARG],
];

const FLAGS = [
  ...['--json', '--ndjson', '--quiet', '-q', '--fail-on-incomplete', '--fail-on-drift', '--all'],
  ...['--recursive', '--no-recursive', '--follow-symlinks', '--no-cache', '--cache-required'],
  ...['--refresh', '--offline', '--plan', '--only-flagged', '--skip-known-good', '--open'],
  ...['--debug', '-v', '--verbose', '--color', '--no-color', '--no-json', '--no-offline'],
];
const VALUED = [
  ...['--hash', '--format', '--output', '-o', '--services', '--timeout', '--fail-on', '--baseline'],
  ...['--allow', '--min-malicious-engines', '--min-detection-ratio', '--trusted-engines'],
  ...['--ignore-services', '--hash-file', '--include', '--exclude', '--max-size', '--sort', '--config'],
];
const VALUES = [
  ...[SHA256, 'json', 'ndjson', 'csv', 'sarif', 'table', 'html', 'markdown', 'malicious', 'suspicious'],
  ...['none', 'path', 'input', 'verdict', '5', '0.5', '1', '2.25', '10', '0', '05', 'abc', STDIN_ARG],
  ...['virustotal,hashlookup', 'hashlookup', 'a.json', 'x.sarif', '*.dll', '500k', 'Kaspersky'],
];
const FILES = ['sample.exe', 'dist/app.exe', './a b.bin', 'C:/x.dll', 'Sample.EXE', STDIN_ARG];

describe('plainCheckArgv', () => {
  it('reads the everyday command lines itself', () => {
    for (const argv of [
      ['--hash', SHA256, '--json', '--offline'],
      ['sample.exe'],
      ['--hash', SHA256, '--json', '--no-cache', '--services', 'virustotal,hashlookup'],
      ['dist/app.exe', '--fail-on', 'suspicious', '--format', 'sarif', '-o', 'ti-check.sarif'],
      ['build/a.dll', 'build/b.dll', '--timeout', '5', '-q', '--no-color'],
      ['--hash-file', STDIN_ARG, '--ndjson'],
    ]) {
      expect(plainCheckArgv(argv), argv.join(' ')).toBeDefined();
    }
  });

  it('leaves commands, help, short and unknown flags to yargs', () => {
    for (const argv of [
      ['services'],
      ['cache', 'stats'],
      ['--help'],
      ['-h'],
      ['--version'],
      ['--hash=abc'],
      ['--bogus'],
      ['--', '-file'],
      ['--timeout', 'abc'],
      ['--format', 'xml'],
      ['--json', '--json'],
      ['--cache', 'redis://h:1/0'],
      ['123'],
      // yargs reads `--json` as taking sample.exe, then `cache` as the command.
      ['--json', 'sample.exe', 'cache'],
    ]) {
      expect(plainCheckArgv(argv), argv.join(' ')).toBeUndefined();
    }
  });

  it('means what yargs means, for every command line it reads', async () => {
    // Mostly options with a value, flags and file names, so that most lines are read here; any
    // word at all now and then.
    const piece = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...FLAGS).map((flag) => [flag]) },
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...VALUED), fc.constantFrom(...VALUES)) },
      { weight: 2, arbitrary: fc.constantFrom(...FILES).map((file) => [file]) },
      { weight: 1, arbitrary: fc.constantFrom(...WORDS).map((word) => [word]) },
    );
    let read = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 6 }), async (pieces) => {
        const argv = pieces.flat();
        const plain = plainReading(argv);
        if (plain === undefined) return;
        read++;
        expect(await yargsReading(argv)).toEqual(plain);
      }),
      { numRuns: 2000 },
    );
    // Not vacuous: a good share of the lines were read here and held to yargs' reading.
    expect(read).toBeGreaterThan(1000);
  });
});
