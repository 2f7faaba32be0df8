/**
 * Completion scripts: generated from the option tables yargs is given, so every command and flag
 * --help shows must be in them; each shell accepts its script, and each completes what it should.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { completionScript } from '../../src/cli/completion-scripts.js';
import { completionSpec, SHELLS, type Shell } from '../../src/cli/completion-spec.js';
import { main } from '../../src/cli/main.js';
import { COMMANDS } from '../../src/cli/usage-errors.js';
import { SERVICES } from '../../src/services/index.js';
import { fakeIo } from '../helpers/fake-io.js';
import { tempDir } from '../helpers/temp-dir.js';

const spec = completionSpec(SERVICES);
const has = (shell: string) => ['/bin', '/usr/bin', '/usr/local/bin'].some((d) => existsSync(join(d, shell)));
// Skipped only on a developer machine without the shell; in CI (.ci/run installs zsh and fish) it fails.
const missing = (shell: string) => !has(shell) && !process.env.CI;

async function help(args: string[]): Promise<string> {
  const io = fakeIo({ cwd: tempDir('ti-check-help-') });
  await main([...args, '--help'], io);
  return io.out();
}

/** The flags of an options section: `  -o, --output  …`, `      --hash  …`. */
function helpFlags(text: string): string[] {
  return text
    .split('\n')
    .map((line) => /^ {2,}((?:-{1,2}[A-Za-z][\w-]*(?:, )?)+)\s/.exec(line)?.[1])
    .filter((flags): flags is string => flags !== undefined)
    .flatMap((flags) => flags.split(', '));
}

/** A script in a file in a fresh directory holding `sample.exe`, to run a shell against. */
function scriptFile(shell: Shell): { dir: string; file: string } {
  const dir = tempDir('ti-check-completion-');
  writeFileSync(join(dir, 'sample.exe'), '');
  const file = join(dir, `ti-check.${shell}`);
  writeFileSync(file, completionScript(shell, spec));
  return { dir, file };
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('completion spec', () => {
  it('knows the same commands as the mistyped-command guess', () => {
    expect(spec.commands.map((c) => c.name).filter((name) => name !== 'check')).toEqual(COMMANDS);
  });

  it('has every command and every flag that --help shows, for each command', async () => {
    const top = await help([]);
    const section = top.split('Commands:\n')[1]?.split('\n\n')[0] ?? '';
    const commands = [...section.matchAll(/^ {2}ti-check (\w+)/gm)].map((m) => m[1]);
    expect(commands.sort()).toEqual(
      spec.commands
        .map((c) => c.name)
        .filter((n) => n !== 'check')
        .sort(),
    );
    for (const command of spec.commands) {
      const args =
        command.name === 'check' ? [] : [command.name, ...(command.name === 'cache' ? ['stats'] : [])];
      const shown = helpFlags(await help(command.name === 'completion' ? ['completion', 'bash'] : args));
      const known = command.flags.flatMap((f) => f.names).filter((n) => !n.startsWith('--no-'));
      expect(shown.sort(), `ti-check ${command.name} --help`).toEqual(known.sort());
    }
  });

  it('knows every service id, and which flags take service ids, choices or files', () => {
    expect(spec.serviceIds).toEqual(SERVICES.map((s) => s.id));
    const check = spec.commands[0];
    const value = (name: string) => check?.flags.find((f) => f.names.includes(name))?.value;
    expect(value('--services')).toBe('services');
    expect(value('--ignore-services')).toBe('services');
    expect(value('--format')).toContain('sarif');
    expect(value('-o')).toBe('files');
    expect(value('--timeout')).toBe('any');
    expect(check?.flags.some((f) => f.names.includes('--no-cache'))).toBe(true);
  });

  it('prints each script with ti-check completion <shell>; another shell is a usage error', async () => {
    for (const shell of SHELLS) {
      const io = fakeIo();
      expect(await main(['completion', shell], io)).toBe(0);
      expect(io.out()).toBe(completionScript(shell, spec));
    }
    const io = fakeIo();
    expect(await main(['completion', 'tcsh'], io)).toBe(2);
    expect(io.err()).toMatch(/^ti-check: completion: "tcsh" is not one of bash, zsh, fish/);
    const none = fakeIo();
    expect(await main(['completion'], none)).toBe(2);
    expect(none.err()).toBe('ti-check: completion: which shell? bash, zsh, fish (see ti-check --help)\n');
  });

  it('a mistyped new command is named, not read as a missing file', async () => {
    const io = fakeIo({ cwd: tempDir('ti-check-typo-') });
    expect(await main(['doctr'], io)).toBe(2);
    expect(io.err()).toBe(`ti-check: unknown command "doctr" (did you mean 'ti-check doctor'?)\n`);
  });
});

describe('bash completion', () => {
  const { dir, file } = scriptFile('bash');
  /** Drives `_ti_check` as bash's completion would: COMP_WORDS and COMP_CWORD set, COMPREPLY read. */
  const complete = (...words: string[]) =>
    run(
      'bash',
      [
        '-c',
        `source ${file}; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ti_check; printf '%s\\n' "\${COMPREPLY[@]}"`,
        'bash',
        ...words,
      ],
      dir,
    )
      .split('\n')
      .filter(Boolean);

  it('is valid bash (bash -n)', () => {
    run('bash', ['-n', file], dir);
  });

  it('completes service ids after --services, --ignore-services and a comma', () => {
    expect(complete('ti-check', '--services', 'viru')).toEqual(['virustotal', 'virusshare']);
    expect(complete('ti-check', '--services', 'virustotal,hash')).toEqual(['virustotal,hashlookup']);
    expect(complete('ti-check', 'doctor', '--services', 'threat')).toEqual(['threatfox']);
    expect(complete('ti-check', '--ignore-services', 'urlh')).toEqual(['urlhaus']);
    // --services=vi, as bash splits it at "=".
    expect(complete('ti-check', '--services', '=', 'polys')).toEqual(['polyswarm']);
  });

  it('completes commands, flags, choices and file paths', () => {
    expect(complete('ti-check', 'doc')).toEqual(['doctor']);
    expect(complete('ti-check', '--format', 'sa')).toEqual(['sarif']);
    expect(complete('ti-check', '--fail-on', 's')).toEqual(['suspicious']);
    expect(complete('ti-check', '--only-f')).toEqual(['--only-flagged']);
    expect(complete('ti-check', 'init', '--f')).toEqual(['--force']);
    expect(complete('ti-check', 'cache', 'p')).toEqual(['prune']);
    expect(complete('ti-check', 'completion', 'f')).toEqual(['fish']);
    expect(complete('ti-check', 'sam')).toEqual(['sample.exe']);
    // A flag's value is not the command: sample.exe after --format json is still a file.
    expect(complete('ti-check', '--format', 'json', 'sam')).toEqual(['sample.exe']);
    expect(complete('ti-check', '-o', 'sam')).toEqual(['sample.exe']);
    expect(complete('ti-check', '--timeout', '')).toEqual([]);
  });
});

describe.skipIf(missing('zsh'))('zsh completion', () => {
  const { dir, file } = scriptFile('zsh');

  it('is valid zsh (zsh -n)', () => {
    run('zsh', ['-n', file], dir);
  });

  it('offers service ids after --services (compadd filters by prefix)', () => {
    // compadd, compset and _files exist only inside a completion widget: stand-ins record the call.
    const stubs =
      'compadd() { [[ $1 == -- ]] && shift; print -r -- "$*"; }; compset() { :; }; _files() { print _files; }; compdef() { :; }';
    const out = (words: string, current: number) =>
      run(
        'zsh',
        ['-c', `${stubs}; source ${file}; words=(${words}); CURRENT=${current}; _ti_check`],
        dir,
      ).trim();
    expect(out('ti-check --services viru', 3)).toBe(spec.serviceIds.join(' '));
    expect(out('ti-check --format json cache ""', 5)).toBe('stats clear prune');
    expect(out('ti-check sam', 2)).toBe(`services cache init doctor quota completion\n_files`);
  });
});

describe.skipIf(missing('fish'))('fish completion', () => {
  const { dir, file } = scriptFile('fish');
  const complete = (line: string) =>
    run('fish', ['--no-config', '-c', `source ${file}; complete -C${JSON.stringify(line)}`], dir)
      .split('\n')
      .filter(Boolean);

  it('is valid fish (fish -n)', () => {
    run('fish', ['-n', file], dir);
  });

  it('completes service ids, choices, commands and files', () => {
    expect(complete('ti-check --services viru')).toEqual(['virusshare', 'virustotal']);
    expect(complete('ti-check --services=virustotal,hash')).toEqual(['--services=virustotal,hashlookup']);
    expect(complete('ti-check --format sa')).toEqual(['sarif']);
    expect(complete('ti-check doc')).toEqual(['doctor']);
    expect(complete('ti-check sam')).toEqual(['sample.exe']);
  });
});
