/**
 * End to end: the library API as a user's script uses it — `import { check, services } from
 * 'ti-check'`, resolved through the package's own name and `exports` to the built dist — against a
 * local fake vendor. The README's example (examples/library/gate.mjs) runs as it is; its types are
 * checked with tsc (examples/library/typed.ts).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/api/index.js';
import { SERVICES } from '../../src/services/index.js';
import { type FakeVendor, startFakeVendor } from '../helpers/fake-vendor.js';
import { reportErrors } from '../helpers/report-schema.js';
import { assertBuilt, type BinResult, isolatedEnv } from '../helpers/run-bin.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fixture } from '../http-mock.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GATE = join(ROOT, 'examples', 'library', 'gate.mjs');
const PLUGIN = join(ROOT, 'examples', 'plugins', 'internal-reputation.mjs');
const KEY = 'library-key-0123456789';
const EMOTET = 'e1'.repeat(32);
const SLOW = 'c0'.repeat(32);
const UNKNOWN = 'ab'.repeat(32);

let vendor: FakeVendor;

beforeAll(async () => {
  assertBuilt();
  vendor = await startFakeVendor([
    { path: /^\/vt\/api\/v3\/files\//, body: () => fixture('virustotal', 'found.json') },
    { path: /^\/hashlookup\/lookup\//, status: 404, body: () => fixture('hashlookup', 'not-found.json') },
    {
      path: `/intrep/api/v1/files/sha256/${EMOTET}`,
      body: JSON.stringify({ sha256: EMOTET, verdict: 'malicious', family: 'emotet' }),
    },
    { path: `/intrep/api/v1/files/sha256/${SLOW}`, delayMs: 10_000, body: '{"error":"not_found"}' },
    { path: /^\/intrep\/api\/v1\/files\//, status: 404, body: '{"error":"not_found"}' },
  ]);
});
afterAll(() => vendor.close());

/**
 * A home whose config switches off every service but `asked` (nothing reaches a real vendor), with
 * keys and URLs for the fake one, and the example plugin listed.
 */
function home(asked: string[]): NodeJS.ProcessEnv {
  const env = isolatedEnv({
    TI_CHECK_VIRUSTOTAL_KEY: KEY,
    TI_CHECK_VIRUSTOTAL_URL: `${vendor.url}/vt`,
    TI_CHECK_HASHLOOKUP_URL: `${vendor.url}/hashlookup`,
    TI_CHECK_INTREP_KEY: KEY,
    TI_CHECK_INTREP_URL: `${vendor.url}/intrep`,
  });
  const off = SERVICES.filter((s) => !asked.includes(s.id)).map((s) => [s.id, { enabled: false }]);
  const dir = join(env.XDG_CONFIG_HOME as string, 'ti-check');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ services: Object.fromEntries(off), plugins: [PLUGIN] }),
  );
  return env;
}

/** `node <args>` from the repository root (where `ti-check` resolves to this package), as a user would. */
function node(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<BinResult> {
  const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('the library API (import from "ti-check")', () => {
  it("the README's example is examples/library/gate.mjs, and it gates a file as the CLI would", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('```js\n// A release gate as a script');
    expect(start).toBeGreaterThan(0);
    const block = readme.slice(start + '```js\n'.length, readme.indexOf('\n```', start) + 1);
    expect(block).toBe(readFileSync(GATE, 'utf8'));

    const cwd = tempDir('ti-check-lib-');
    writeFileSync(join(cwd, 'app.exe'), 'not really an app');
    const { code, stdout, stderr } = await node([GATE, 'app.exe'], home(['virustotal', 'hashlookup']), cwd);
    expect(stderr).toBe('');
    expect(stdout).toBe('malicious  app.exe\n1 checked, 1 flagged\n');
    expect(code).toBe(1);
  });

  it('returns the schemaVersion 1 report, streams each target, stops on a signal, throws bad input — and prints nothing', async () => {
    const script = `
import { check, services, InputError, ConfigError } from 'ti-check';
const cwd = process.env.LIB_CWD;
const out = { streamed: [], warnings: [] };
const first = await check({
  cwd,
  hashes: ['${EMOTET}', '${UNKNOWN}'],
  cache: false,
  onTarget: (result, index) => out.streamed.push([index, result.verdict]),
  onWarning: (message) => out.warnings.push(message),
});
out.first = first;
const controller = new AbortController();
const started = Date.now();
const stopped = await check({
  cwd,
  hashes: ['${EMOTET}', '${SLOW}'],
  services: ['intrep'],
  cache: false,
  signal: controller.signal,
  onTarget: () => controller.abort(),
});
out.stopped = { outcome: stopped.outcome, results: stopped.report.results.length, fast: Date.now() - started < 8000 };
for (const [name, options] of [
  ['hash', { hashes: ['not-a-hash'] }],
  ['config', { hashes: ['${EMOTET}'], config: { services: { nosuch: {} } } }],
]) {
  try {
    await check({ cwd, ...options });
  } catch (error) {
    out[name] = [error.name, error instanceof InputError || error instanceof ConfigError, error.message];
  }
}
out.plugins = (await services({ cwd })).filter((row) => row.plugin).map((row) => [row.id, row.ready]);
// Drift: against the first report nothing changed; against one that had only the unknown file's
// answers, EMOTET is new to the baseline and the unknown one unchanged.
const same = await check({ cwd, hashes: ['${EMOTET}'], cache: false, baseline: first.report, policy: { failOnDrift: true } });
const older = { schemaVersion: 1, results: [first.report.results[1]] };
const partial = await check({ cwd, hashes: ['${EMOTET}', '${UNKNOWN}'], cache: false, baseline: older, policy: { failOnDrift: true } });
out.drift = {
  same: [same.report.results[0].drift.matchedBy, same.report.results[0].drift.changes.length, same.outcome.flagged],
  partial: [partial.report.results.map((r) => r.drift.matchedBy), partial.outcome.notInBaseline, partial.outcome.worseCount],
};
try {
  await check({ cwd, hashes: ['${EMOTET}'], baseline: { schemaVersion: 1, results: 'no' } });
} catch (error) {
  out.badBaseline = [error.name, error.message];
}
console.log(JSON.stringify(out));
`;
    const env = { ...home(['virustotal', 'hashlookup']), LIB_CWD: tempDir('ti-check-lib-') };
    const { code, stdout, stderr } = await node(['--input-type=module', '-e', script], env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // One line: the script's own. The library printed nothing and did not exit the process.
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(stdout) as {
      streamed: [number, string][];
      warnings: string[];
      first: CheckResult;
      stopped: { outcome: CheckResult['outcome']; results: number; fast: boolean };
      hash: [string, boolean, string];
      config: [string, boolean, string];
      plugins: [string, boolean][];
      drift: { same: [string, number, boolean]; partial: [(string | null)[], number, number] };
      badBaseline: [string, string];
    };
    expect(out.warnings).toEqual([]);
    expect(reportErrors(out.first.report)).toEqual([]);
    expect(out.first.report.schemaVersion).toBe(1);
    // Input order in the report; completion order (with the input index) in the stream.
    expect(out.first.report.results.map((r) => [r.target.sha256, r.verdict])).toEqual([
      [EMOTET, 'malicious'],
      [UNKNOWN, 'malicious'],
    ]);
    expect([...out.streamed].sort()).toEqual([
      [0, 'malicious'],
      [1, 'malicious'],
    ]);
    // The switched-off services are gray rows, as in the CLI's report.
    const asked = out.first.report.results[0]?.services.filter((s) => s.status !== 'disabled');
    expect(asked?.map((s) => [s.service, s.status])).toEqual([
      ['virustotal', 'found'],
      ['hashlookup', 'not_found'],
      ['intrep', 'found'],
    ]);
    expect(out.first.outcome).toMatchObject({
      flagged: true,
      incomplete: false,
      targets: 2,
      flaggedCount: 2,
    });
    expect(out.stopped).toEqual({
      outcome: expect.objectContaining({ interrupted: true, targets: 1 }),
      results: 1,
      fast: true,
    });
    expect(out.hash).toEqual(['InputError', true, expect.stringContaining('not-a-hash')]);
    expect(out.config).toEqual([
      'ConfigError',
      true,
      expect.stringContaining('services.nosuch: unknown service'),
    ]);
    expect(out.plugins).toEqual([['intrep', true]]);
    // The same answers as the baseline: no change, and --fail-on-drift's gate stays open.
    expect(out.drift.same).toEqual(['sha256', 0, false]);
    expect(out.drift.partial).toEqual([[null, 'sha256'], 1, 0]);
    expect(out.badBaseline).toEqual([
      'InputError',
      expect.stringContaining('baseline: not a ti-check JSON report'),
    ]);
    expect(stdout).not.toContain(KEY);
  });

  it('is typed: a TypeScript user gets the declarations through the package exports', async () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const { code, stdout } = await node([tsc, '-p', join(ROOT, 'examples', 'library')], process.env);
    expect(stdout).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
