/**
 * Detection drift end to end: the built binary checks a shipped file twice against the local fake
 * vendor, whose answers change in between, the second time with `--baseline first.json`.
 *
 * Run 1: VirusTotal answers its real recorded "found, nobody flags it" response
 * (fixtures/virustotal/found-undetected.json), CIRCL hashlookup its recorded miss.
 * Run 2: VirusTotal answers a MODIFIED COPY of that recording, made here (not a recording): Microsoft
 * now says `Trojan:Win32/Wacatac.B!ml` and Lionic a hostile signature (a pipe, markup, a bidi
 * override) that every format must escape; last_analysis_stats are adjusted to match. Hashlookup
 * fails (HTTP 503): a service that failed is not drift, and the report says so.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeVendor, startFakeVendor } from '../helpers/fake-vendor.js';
import { reportErrors, sarifErrors } from '../helpers/report-schema.js';
import { assertBuilt, isolatedEnv, runBin } from '../helpers/run-bin.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runInTerminal, stripSgr, visibleWidth } from '../helpers/terminal.js';
import { fixture } from '../http-mock.js';

const APP = 'shipped build 1.4.2\n';
const SHA256 = createHash('sha256').update(APP).digest('hex');
const KEY = 'e2e-vt-key-drift-0123456789';
const SERVICES = '--services=virustotal,hashlookup';
const HOSTILE = 'Trojan|<img src=x>`x`\u202eexe';

/** Run 2's VirusTotal answer: the recorded one with two engines turned (see the header). */
function modifiedAnswer(): string {
  const answer = JSON.parse(fixture('virustotal', 'found-undetected.json'));
  const attributes = answer.data.attributes;
  const results = attributes.last_analysis_results;
  results.Microsoft = { ...results.Microsoft, category: 'malicious', result: 'Trojan:Win32/Wacatac.B!ml' };
  results.Lionic = { ...results.Lionic, category: 'malicious', result: HOSTILE };
  attributes.last_analysis_stats.malicious += 2;
  attributes.last_analysis_stats.undetected -= 2;
  return JSON.stringify(answer);
}

let vendor: FakeVendor;
let run = 1;
let dir: string;

beforeAll(async () => {
  assertBuilt();
  const changed = modifiedAnswer();
  vendor = await startFakeVendor([
    {
      path: /^\/vt\/api\/v3\/files\//,
      body: () => (run === 1 ? fixture('virustotal', 'found-undetected.json') : changed),
    },
    {
      path: /^\/hashlookup\//,
      status: 404,
      body: () => fixture('hashlookup', 'not-found.json'),
    },
  ]);
  dir = tempDir('ti-check-e2e-drift-');
  writeFileSync(join(dir, 'app.exe'), APP);
  writeFileSync(join(dir, 'new.dll'), 'added in this release\n');
});
afterAll(async () => {
  await vendor.close();
});

const env = (hashlookupUrl = `${vendor.url}/hashlookup`) =>
  isolatedEnv({
    TI_CHECK_VIRUSTOTAL_URL: `${vendor.url}/vt`,
    TI_CHECK_VIRUSTOTAL_KEY: KEY,
    TI_CHECK_HASHLOOKUP_URL: hashlookupUrl,
  });
/** Run 2's hashlookup: a port nobody listens on would take a connect timeout; a 503 route is quicker. */
let down: FakeVendor;
beforeAll(async () => {
  down = await startFakeVendor([{ path: /.*/, status: 503, body: '{}' }]);
});
afterAll(async () => {
  await down.close();
});

const read = (name: string) => readFileSync(join(dir, name), 'utf8');

describe('detection drift (built binary, two runs of the fake vendor)', () => {
  it('run 1 writes the baseline; run 2 shows what changed in the table, JSON, Markdown and SARIF', async () => {
    run = 1;
    const first = await runBin(['app.exe', SERVICES, '-o', 'first.json', '--no-cache'], {
      env: env(),
      cwd: dir,
    });
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(JSON.parse(read('first.json')).results[0].verdict).toBe('undetected');

    run = 2;
    const second = await runBin(
      [
        'app.exe',
        SERVICES,
        '--baseline',
        'first.json',
        '--no-cache',
        '-o',
        'second.json',
        '-o',
        'second.md',
        '-o',
        'second.sarif',
      ],
      { env: env(`${down.url}/hashlookup`), cwd: dir },
    );
    // Suspicious (2 of 76 engines) is below the default --fail-on malicious: exit 0, and stderr says
    // the file got worse anyway.
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(
      'ti-check: drift: 1 of 1 target worse than the baseline: app.exe (VirusTotal: undetected → suspicious, +2 more)\n',
    );

    // The table (stdout, with several -o): the drift line and its changes, worst first.
    const table = second.stdout;
    expect(table).toMatch(
      /drift {4}worse than the baseline \(was undetected, now suspicious\): 3 new detections/,
    );
    expect(table).toContain('VirusTotal · Microsoft: undetected → Trojan:Win32/Wacatac.B!ml');
    // The vendor's bidi override is shown escaped, never raw.
    expect(table).toContain('VirusTotal · Lionic: undetected → Trojan|<img src=x>`x`\\u202eexe');
    expect(table).not.toContain('\u202e');
    expect(table).toMatch(/not compared: CIRCL hashlookup failed now \(unavailable\)/);
    // Not a terminal: the table's default width.
    for (const line of table.split('\n')) expect([...line].length).toBeLessThanOrEqual(120);

    // JSON: `drift` on the target, valid against the published schema.
    const report = JSON.parse(read('second.json'));
    expect(reportErrors(report)).toEqual([]);
    const drift = report.results[0].drift;
    expect(drift).toMatchObject({ matchedBy: 'sha256', verdictBefore: 'undetected', worse: true });
    expect(drift.changes).toContainEqual({
      service: 'virustotal',
      engine: 'Microsoft',
      change: 'changed',
      before: { category: 'undetected', detail: null },
      after: { category: 'malicious', detail: 'Trojan:Win32/Wacatac.B!ml' },
      worse: true,
    });
    expect(drift.skipped).toEqual([{ service: 'hashlookup', why: 'failed now (unavailable): not compared' }]);

    // Markdown: a drift section, the hostile signature escaped so it cannot break the table.
    const markdown = read('second.md');
    expect(markdown).toContain('### Drift since the baseline');
    expect(markdown).toContain(
      '| 🔺 | <code>app.exe</code> | VirusTotal · Microsoft: undetected → Trojan:Win32/Wacatac.B\\!ml |',
    );
    expect(markdown).toContain('Trojan\\|\\<img src=x\\>\\`x\\`');
    expect(markdown).not.toMatch(/[^\\]<img/);

    // SARIF: one result per new detection, valid SARIF 2.1.0.
    const sarif = JSON.parse(read('second.sarif'));
    expect(sarifErrors(sarif)).toEqual([]);
    const fresh = sarif.runs[0].results.filter(
      (r: { ruleId: string }) => r.ruleId === 'ti-check/new-detection',
    );
    expect(fresh.map((r: { message: { text: string } }) => r.message.text)).toEqual([
      'app.exe: new since the baseline: VirusTotal: undetected → suspicious.',
      `app.exe: new since the baseline: VirusTotal · Lionic: undetected → ${HOSTILE}.`,
      'app.exe: new since the baseline: VirusTotal · Microsoft: undetected → Trojan:Win32/Wacatac.B!ml.',
    ]);
    expect(fresh[2]).toMatchObject({
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'app.exe', uriBaseId: '%SRCROOT%' } } }],
      partialFingerprints: { 'tiCheckFileHash/v1': SHA256 },
    });
    for (const name of ['first.json', 'second.json', 'second.md', 'second.sarif']) {
      expect(read(name)).not.toContain(KEY);
    }
  });

  it('on an 80-column terminal (the narrowest the table takes) the drift lines wrap to fit, in colour and without', async () => {
    run = 2;
    const args = [join(dir, 'app.exe'), SERVICES, '--no-cache', '--baseline', join(dir, 'first.json')];
    const vars = (extra: Record<string, string>) =>
      isolatedEnv({
        TI_CHECK_VIRUSTOTAL_URL: `${vendor.url}/vt`,
        TI_CHECK_VIRUSTOTAL_KEY: KEY,
        TI_CHECK_HASHLOOKUP_URL: `${down.url}/hashlookup`,
        ...extra,
      });
    const [colour, plain] = await Promise.all([
      runInTerminal(args, { columns: 80, env: vars({ FORCE_COLOR: '1' }) }),
      runInTerminal(args, { columns: 80, env: vars({ NO_COLOR: '1' }) }),
    ]);
    expect(colour.screen).toContain('\x1b[31m');
    expect(stripSgr(colour.screen)).toBe(plain.screen);
    expect(plain.screen).toContain('drift    worse than the baseline (was undetected, now');
    expect(plain.screen).toContain('Microsoft: undetected →');
    const overwide = plain.screen
      .split('\n')
      .filter((line) => visibleWidth(line) > 80 && !/^\s*(\S+\s+)?↗?\s*https?:\/\//.test(line));
    expect(overwide).toEqual([]);
  });

  it('--fail-on-drift: exit 1 when worse than the baseline, 0 once the new state is the baseline', async () => {
    run = 2;
    const args = ['app.exe', SERVICES, '--no-cache', '--fail-on-drift', '--json'];
    const worse = await runBin([...args, '--baseline', 'first.json'], { env: env(), cwd: dir });
    expect(worse.code).toBe(1);
    expect(worse.stderr).toBe(
      'ti-check: 1 of 1 target worse than the baseline: app.exe (VirusTotal: undetected → suspicious, +2 more) (--fail-on-drift)\n',
    );
    // Accept the current state once: the same answers against it are no drift, even with --fail-on suspicious.
    writeFileSync(join(dir, 'accepted.json'), worse.stdout);
    const same = await runBin([...args, '--baseline', 'accepted.json', '--fail-on', 'suspicious'], {
      env: env(),
      cwd: dir,
    });
    expect([same.code, same.stderr]).toEqual([0, '']);
    expect(JSON.parse(same.stdout).results[0].drift).toMatchObject({ worse: false, changes: [] });
    // Without --fail-on-drift the usual gate applies.
    const usual = await runBin(
      ['app.exe', SERVICES, '--no-cache', '--fail-on', 'suspicious', '--baseline', 'accepted.json'],
      {
        env: env(),
        cwd: dir,
      },
    );
    expect(usual.code).toBe(1);
  });

  it('policy.failOnDrift in the config; a file not in the baseline is gated by --fail-on, in the batch table', async () => {
    run = 2;
    writeFileSync(
      join(dir, 'ti-check.json'),
      JSON.stringify({ policy: { failOnDrift: true, failOn: 'suspicious' } }),
    );
    const batch = await runBin(
      ['app.exe', 'new.dll', SERVICES, '--no-cache', '--config', 'ti-check.json', '--baseline', 'first.json'],
      { env: env(), cwd: dir },
    );
    expect(batch.code).toBe(1);
    expect(batch.stderr).toContain(
      'ti-check: 1 target is not in the baseline: gated by --fail-on as usual\n',
    );
    expect(batch.stdout).toContain('drift since the baseline: 1 worse, 0 changed otherwise, 1 not in it');
    expect(batch.stdout).toContain('  app.exe: VirusTotal: undetected → suspicious, +2 more');
  });

  it('a baseline that is missing, not JSON or not a report: one line, exit 2, no vendor asked', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'not json at all');
    writeFileSync(
      join(dir, 'other.json'),
      JSON.stringify({ schemaVersion: 1, results: [{ verdict: 'evil' }] }),
    );
    const before = vendor.count();
    const cases: [string[], RegExp][] = [
      [['--baseline', 'missing.json'], /^ti-check: --baseline missing\.json: cannot read it: ENOENT\n$/],
      [
        ['--baseline', 'notes.txt'],
        /^ti-check: --baseline notes\.txt: not JSON: give a report written by ti-check --json/,
      ],
      [
        ['--baseline', 'other.json'],
        /^ti-check: --baseline other\.json: not a ti-check JSON report \(schemaVersion 1\) at results\.0\.target: /,
      ],
      [['--baseline', '.'], /^ti-check: --baseline \.: (not a file|cannot read it: EISDIR)\n$/],
      [
        ['--fail-on-drift'],
        /^ti-check: --fail-on-drift compares with a baseline: add --baseline <earlier report\.json>\n$/,
      ],
    ];
    for (const [flags, message] of cases) {
      const result = await runBin(['app.exe', SERVICES, ...flags], { env: env(), cwd: dir });
      expect([result.code, result.stdout]).toEqual([2, '']);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.split('\n')).toHaveLength(2);
    }
    expect(vendor.count()).toBe(before);
  });
});
