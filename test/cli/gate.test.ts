import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { UnavailableError } from '../../src/errors.js';
import { FORMATS } from '../../src/render/index.js';
import { fakeIo } from '../helpers/fake-io.js';
import { engines, fakeService } from '../helpers/fake-services.js';
import { ndjsonErrors, reportErrors, sarifErrors } from '../helpers/report-schema.js';
import { tempDir } from '../helpers/temp-dir.js';

// One hash per situation; the fake services answer by hash.
const H = {
  malicious: 'a'.repeat(64), // 5 of 16 engines
  suspicious: 'b'.repeat(64), // 2 of 15 engines
  clean: 'c'.repeat(64), // on the known-good list
  notFound: 'd'.repeat(64), // nobody knows it
  down: 'e'.repeat(64), // every service fails
} as const;
type Case = keyof typeof H;
/** What a failing gate says on stderr for the malicious case, whatever the format. */
const GATE_LINE = `ti-check: 1 of 2 targets malicious: ${H.malicious} (ENGINES 5/16)\n`;

const registry = [
  fakeService('engines', (h) => {
    if (h.value === H.down) throw new UnavailableError('HTTP 503');
    if (h.value === H.malicious) return { entries: engines(5, 1, 10) };
    if (h.value === H.suspicious) return { entries: engines(2, 3, 10) };
    if (h.value === H.clean) return { entries: engines(0, 2, 10) };
    return null;
  }),
  fakeService(
    'goodlist',
    (h) => {
      if (h.value === H.down) throw new UnavailableError('HTTP 503');
      return h.value === H.clean ? { entries: [], verdict: 'clean' } : null;
    },
    { kind: 'known-good' },
  ),
];

const gateDir = () => tempDir('ti-check-gate-');

async function run(args: string[], options: { cwd?: string } = {}) {
  const io = fakeIo({ env: { XDG_CONFIG_HOME: gateDir() }, cwd: options.cwd ?? gateDir() });
  const code = await main(args, io, registry);
  return { code, out: io.out(), err: io.err() };
}

const code = async (c: Case, ...flags: string[]) => (await run(['--hash', H[c], '--json', ...flags])).code;

describe('exit code for every --fail-on, with and without --fail-on-incomplete', () => {
  // Rows: the file's situation; columns: --fail-on malicious, suspicious, none.
  const table: Record<Case, { plain: number[]; failClosed: number[] }> = {
    malicious: { plain: [1, 1, 0], failClosed: [1, 1, 0] },
    suspicious: { plain: [0, 1, 0], failClosed: [0, 1, 0] },
    clean: { plain: [0, 0, 0], failClosed: [0, 0, 0] },
    notFound: { plain: [0, 0, 0], failClosed: [0, 0, 0] },
    down: { plain: [3, 3, 3], failClosed: [1, 1, 1] },
  };
  for (const [situation, expected] of Object.entries(table) as [Case, (typeof table)[Case]][]) {
    it(situation, async () => {
      const got = { plain: [] as number[], failClosed: [] as number[] };
      for (const level of ['malicious', 'suspicious', 'none']) {
        got.plain.push(await code(situation, '--fail-on', level));
        got.failClosed.push(await code(situation, '--fail-on', level, '--fail-on-incomplete'));
      }
      expect(got).toEqual(expected);
    });
  }

  it('a flagged file wins over an unanswered one: 1 before 3', async () => {
    expect((await run(['--hash', H.down, '--hash', H.malicious])).code).toBe(1);
    expect((await run(['--hash', H.down, '--hash', H.clean])).code).toBe(3);
  });

  it('says on stderr when --fail-on-incomplete turns no answer into exit 1', async () => {
    const { err } = await run(['--hash', H.down, '--fail-on-incomplete']);
    expect(err).toBe(`ti-check: no service could answer for ${H.down} (--fail-on-incomplete: exit 1)\n`);
  });
});

describe('policy flags change the verdict, and the reason says why', () => {
  const verdictOf = async (c: Case, ...flags: string[]) => {
    const { out } = await run(['--hash', H[c], '--json', ...flags]);
    const result = JSON.parse(out).results[0];
    return [result.verdict, result.services[0].reason?.rule ?? result.reason.rule];
  };
  it('--min-malicious-engines raises the bar', async () => {
    expect(await verdictOf('malicious')).toEqual(['malicious', 'engine-threshold']);
    expect(await verdictOf('malicious', '--min-malicious-engines', '6')).toEqual([
      'suspicious',
      'below-threshold',
    ]);
    expect(await code('malicious', '--min-malicious-engines', '6')).toBe(0);
    expect(await code('malicious', '--min-malicious-engines', '6', '--fail-on', 'suspicious')).toBe(1);
  });
  it('--min-detection-ratio raises it too', async () => {
    expect(await verdictOf('malicious', '--min-detection-ratio', '0.5')).toEqual([
      'suspicious',
      'below-threshold',
    ]);
    expect(await code('malicious', '--min-detection-ratio', '0.3')).toBe(1);
    expect(await code('malicious', '--min-detection-ratio', '0.5')).toBe(0);
  });
  it('--trusted-engines: one trusted detection is enough', async () => {
    expect(await verdictOf('suspicious', '--trusted-engines', 'x,Mal2')).toEqual([
      'malicious',
      'trusted-engine',
    ]);
    expect(await code('suspicious', '--trusted-engines', 'Mal2')).toBe(1);
  });
  it('--ignore-services leaves a service out of the verdict', async () => {
    const { out, code: exit } = await run(['--hash', H.malicious, '--json', '--ignore-services', 'engines']);
    const result = JSON.parse(out).results[0];
    expect([exit, result.verdict, result.reason.rule, result.services[0].reason.rule]).toEqual([
      0,
      'unknown',
      'not-found',
      'ignored-service',
    ]);
    expect((await run(['--hash', H.malicious, '--ignore-services', 'nope'])).code).toBe(2);
  });
  it('--allow downgrades listed files: no exit 1, no exit 3', async () => {
    const dir = gateDir();
    writeFileSync(join(dir, 'allow.txt'), `${H.malicious} known FP\n${H.down} vetted offline\n`);
    const { code: exit, out } = await run(['--hash', H.malicious, '--json', '--allow', 'allow.txt'], {
      cwd: dir,
    });
    expect(exit).toBe(0);
    expect(JSON.parse(out).results[0].allowList).toEqual({ comment: 'known FP', verdict: 'malicious' });
    expect(
      (await run(['--hash', H.down, '--allow', 'allow.txt', '--fail-on-incomplete'], { cwd: dir })).code,
    ).toBe(0);
    expect((await run(['--hash', H.malicious, '--allow', 'missing.txt'], { cwd: dir })).err).toBe(
      'ti-check: cannot read allow-list missing.txt: ENOENT\n',
    );
  });
  it('bad policy values are usage errors', async () => {
    for (const flags of [
      ['--min-malicious-engines', '0'],
      ['--min-detection-ratio', '1.5'],
      ['--fail-on', 'x'],
    ]) {
      expect(await code('clean', ...flags)).toBe(2);
    }
  });
});

describe('--min-detection-ratio at its boundary', () => {
  it('5 of 16 engines (31.25%) meets 0.3125 and fails the gate; 0.3126 leaves it suspicious', async () => {
    const at = await run(['--hash', H.malicious, '--json', '--min-detection-ratio', '0.3125']);
    expect(at.code).toBe(1);
    expect(JSON.parse(at.out).results[0].services[0].reason).toEqual({
      rule: 'engine-threshold',
      message: '5/16 engines malicious (≥ 3, 31.3% ≥ 31.3%)',
    });
    const above = await run(['--hash', H.malicious, '--json', '--min-detection-ratio', '0.3126']);
    expect(above.code).toBe(0);
    expect(JSON.parse(above.out).results[0].verdict).toBe('suspicious');
  });
});

describe('policy from the config file; flags win', () => {
  it('reads every knob under policy, allow-list relative to the config file', async () => {
    const dir = gateDir();
    writeFileSync(join(dir, 'fp.txt'), `${H.clean} vetted\n`);
    const config = join(dir, 'ti.json');
    writeFileSync(
      config,
      JSON.stringify({
        policy: {
          failOn: 'suspicious',
          failOnIncomplete: true,
          minMaliciousEngines: 6,
          minDetectionRatio: 0.01,
          trustedEngines: ['nobody'],
          ignoreServices: ['goodlist'],
          allowList: 'fp.txt',
        },
      }),
    );
    expect(await code('malicious', '--config', config)).toBe(1); // suspicious under 6 engines, fails on suspicious
    expect(await code('malicious', '--config', config, '--fail-on', 'malicious')).toBe(0);
    expect(await code('down', '--config', config)).toBe(1); // fail closed from config
    const { out } = await run(['--hash', H.clean, '--json', '--config', config]);
    expect(JSON.parse(out).results[0].reason.rule).toBe('allow-list');
  });
  it('rejects a wrong policy value with its path', async () => {
    const dir = gateDir();
    writeFileSync(join(dir, 'ti.json'), JSON.stringify({ policy: { minDetectionRatio: 2 } }));
    const { code: exit, err } = await run(['--hash', H.clean, '--config', join(dir, 'ti.json')]);
    expect(exit).toBe(2);
    expect(err).toMatch(/policy\.minDetectionRatio: /);
  });
});

describe('--format and --output', () => {
  it('every format renders through the CLI; JSON, NDJSON and SARIF validate', async () => {
    for (const format of FORMATS) {
      const { out, err } = await run(['--hash', H.malicious, '--hash', H.clean, '--format', format]);
      expect({ format, err }).toEqual({ format, err: GATE_LINE });
      if (format === 'json') expect(reportErrors(JSON.parse(out))).toEqual([]);
      if (format === 'ndjson') expect(ndjsonErrors(out)).toEqual([]);
      if (format === 'sarif') expect(sarifErrors(JSON.parse(out))).toEqual([]);
    }
    // Two runs, two fetch times and durations (a busy machine makes 0 ms one run, 1 ms the other):
    // everything else must be the same.
    const stamp = (out: string) =>
      out.replace(/"fetchedAt":"[^"]+"/g, '"fetchedAt":"…"').replace(/"durationMs":\d+/g, '"durationMs":…');
    expect(stamp((await run(['--hash', H.clean, '--ndjson'])).out)).toBe(
      stamp((await run(['--hash', H.clean, '--format', 'ndjson'])).out),
    );
  });
  it('--output writes the whole report to the file, stdout stays empty, no temp file left', async () => {
    const dir = gateDir();
    const { code: exit, out } = await run(['--hash', H.malicious, '--format', 'sarif', '-o', 'out.sarif'], {
      cwd: dir,
    });
    expect([exit, out]).toEqual([1, '']);
    expect(sarifErrors(JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')))).toEqual([]);
    expect(readdirSync(dir)).toEqual(['out.sarif']);
  });
  it('--output into a missing folder is an input error', async () => {
    const { code: exit, err } = await run(['--hash', H.clean, '-o', 'no/such/dir/r.json']);
    expect(exit).toBe(2);
    expect(err).toBe('ti-check: --output no/such/dir/r.json: cannot write (ENOENT)\n');
  });
});
