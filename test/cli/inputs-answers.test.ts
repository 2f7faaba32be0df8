/** Every input gets its documented answer: one line and exit 2 for bad input, the reason kept in the report. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Report } from '../../src/model/report.js';
import { fakeIo } from '../helpers/fake-io.js';
import { fakeService } from '../helpers/fake-services.js';
import { tempDir } from '../helpers/temp-dir.js';

const HASH = 'ab'.repeat(32);
const answersDir = () => tempDir('ti-check-answers-');

const asked: string[] = [];
const registry = [
  fakeService('box', (h) => {
    asked.push(h.value);
    return null;
  }),
];

async function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd = answersDir()) {
  const io = fakeIo({ env: { XDG_CONFIG_HOME: answersDir(), XDG_CACHE_HOME: answersDir(), ...env }, cwd });
  const code = await main(args, io, registry);
  return { code, out: io.out(), err: io.err() };
}

describe('inputs and their documented answers', () => {
  it.each([
    [['--json', '--format', 'csv'], '--json and --format csv contradict each other: choose one'],
    [['--ndjson', '--format', 'html'], '--ndjson and --format html contradict each other: choose one'],
    [['--json', '--ndjson'], '--json and --ndjson contradict each other: choose one'],
    [
      ['--offline', '--refresh'],
      '--offline (the cache only) and --refresh (never the cache) contradict each other: choose one',
    ],
    [
      ['--offline', '--no-cache'],
      '--offline (the cache only) and --no-cache contradict each other: choose one',
    ],
    [['--timeout', '2147484'], '--timeout: expected seconds above 0, at most 3600'],
    [['--timeout', '0'], '--timeout: expected seconds above 0, at most 3600'],
  ])('%j is refused in one line, exit 2, nothing asked', async (flags, message) => {
    asked.length = 0;
    const { code, out, err } = await run(['--hash', HASH, ...flags]);
    expect([code, out, err]).toEqual([2, '', `ti-check: ${message} (see ti-check --help)\n`]);
    expect(asked).toEqual([]);
  });

  it('--json --format json agree, and are accepted', async () => {
    expect((await run(['--hash', HASH, '--json', '--format', 'json'])).code).toBe(0);
  });

  it('files after -- are files, even one named like a flag', async () => {
    const cwd = answersDir();
    for (const name of ['a.exe', 'b.exe', '-weird.exe']) writeFileSync(join(cwd, name), name);
    const [a, b, weird] = ['a.exe', 'b.exe', '-weird.exe'].map((name) => join(cwd, name)) as [
      string,
      string,
      string,
    ];
    const { out } = await run(['--json', a, '--', b, weird], {}, cwd);
    // Results come in completion order.
    expect((JSON.parse(out) as Report).results.map((r) => r.target.path).sort()).toEqual(
      [a, b, weird].sort(),
    );
  });

  it('--hash-file naming a directory is one line and exit 2, not an internal error', async () => {
    const dir = answersDir();
    const { code, err } = await run(['--hash-file', dir]);
    expect([code, err]).toEqual([2, `ti-check: ${dir}: is a directory, not a file\n`]);
  });

  it('a file that cannot be read keeps its error in the report: JSON, reason and stderr', async () => {
    // /proc/self/mem opens but every read fails (EIO), even for root.
    const { code, out, err } = await run(['--json', '/proc/self/mem']);
    expect(code).toBe(3);
    const [result] = (JSON.parse(out) as Report).results;
    expect(result?.error).toEqual({ code: 'unreadable', message: 'EIO: i/o error, read' });
    expect(result?.reason).toEqual({ rule: 'no-answer', message: 'not checked: EIO: i/o error, read' });
    expect(err).toBe('ti-check: /proc/self/mem: EIO: i/o error, read, not checked\n');
  });
});

describe('a cache directory that cannot be made', () => {
  it('is one warning and a run without cache (it used to spin at 100 % CPU)', async () => {
    const { code, err } = await run(['--hash', HASH], { XDG_CACHE_HOME: '/proc/ti-check-cannot-exist' });
    expect(code).toBe(0);
    expect(err.split('\n')[0]).toBe(
      "ti-check: cache unavailable, running without it (ENOENT: no such file or directory, mkdir '/proc/ti-check-cannot-exist')",
    );
  }, 20_000);

  it.each([['stats'], ['clear'], ['prune']])(
    'cache %s says what is wrong in one line, exit 2',
    async (action) => {
      const home = answersDir();
      writeFileSync(join(home, 'ti-check'), 'a file where the cache directory should be');
      const { code, err } = await run(['cache', action], { XDG_CACHE_HOME: home });
      expect([code, err]).toEqual([
        2,
        `ti-check: cache ${home}/ti-check: ${home}/ti-check is not a directory\n`,
      ]);
    },
  );
});
