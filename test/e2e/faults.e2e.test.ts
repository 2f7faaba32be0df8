/**
 * Fault injection, end to end: the built binary against a hostile local vendor that redirects,
 * resets, stalls, sends garbage, endless bodies, its own key back and terminal escape sequences —
 * every fault for every HTTP service. Whatever the vendor does, the row turns red with the right
 * error code, the other services still answer, no byte run of a key reaches any output, the cache
 * or another host, and no control character reaches the terminal.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, ServiceResult } from '../../src/model/report.js';
import { SERVICES } from '../../src/services/index.js';
import { type Fault, type FaultVendor, startFaultVendor } from '../helpers/fault-vendor.js';
import { foundAnswer } from '../helpers/found-answers.js';
import { assertBuilt, isolatedEnv, runBin } from '../helpers/run-bin.js';

const SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
/** Every service that speaks HTTP (Team Cymru answers over DNS: test/dns/ covers its faults). */
const HTTP_SERVICES = SERVICES.map((s) => s.id).filter((id) => id !== 'cymru');
/** Answers normally in every run, to show one vendor's fault never holds back the others. */
const CONTROL = 'threatfox';
const SECOND_CONTROL = 'malwarebazaar';

/** A distinct, random-looking key per service: any 8-character run of it in an output is a leak. */
const KEYS = Object.fromEntries(
  HTTP_SERVICES.map((id) => [id, createHash('sha256').update(`key:${id}`).digest('base64url').slice(0, 40)]),
);

/** Clears the screen, sets the title, plants a link, reverses text, overwrites it: then the key. */
const poison = (service: string) =>
  ` \u001b[2J\u001b]0;pwned\u0007\u001b]8;;http://evil.example/\u0007x\u001b]8;;\u0007\u202e\r\b\u009b31m${KEYS[service]}`;

/** The error code each fault must give, for every service. */
const EXPECTED: Record<Exclude<Fault, 'hostile-200' | 'healthy'> | 'refused', string> = {
  'redirect-same': 'unavailable',
  'redirect-cross': 'bad_response',
  'redirect-loop': 'bad_response',
  'rate-limited': 'rate_limited',
  'rate-limited-retry-after': 'rate_limited',
  'server-error': 'unavailable',
  reset: 'network',
  refused: 'network',
  'no-answer': 'timeout',
  'stalled-body': 'timeout',
  'truncated-json': 'bad_response',
  'html-200': 'bad_response',
  'endless-body': 'bad_response',
  'schema-drift': 'bad_response',
  'key-echoed-in-error': 'unavailable',
};

let vendor: FaultVendor;
let closedPortUrl: string;
const homes: string[] = [];

beforeAll(async () => {
  assertBuilt();
  vendor = await startFaultVendor({ keys: KEYS, foundAnswer, poison });
  // A port nothing listens on: connection refused.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  closedPortUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await vendor.close();
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** Runs the binary with `faulted` services meeting `fault` and `healthy` ones answering normally. */
async function runWith(fault: Fault | 'refused', faulted: string[], healthy: string[], args: string[]) {
  const env: Record<string, string> = { FORCE_COLOR: '1', COLUMNS: '120' };
  for (const id of [...faulted, ...healthy]) {
    const upper = id.toUpperCase();
    env[`TI_CHECK_${upper}_KEY`] = KEYS[id] ?? '';
    const root = !faulted.includes(id) ? vendor.healthyUrl : fault === 'refused' ? closedPortUrl : vendor.url;
    env[`TI_CHECK_${upper}_URL`] = `${root}/${faulted.includes(id) ? fault : 'healthy'}/${id}`;
  }
  const fullEnv = isolatedEnv(env);
  homes.push(fullEnv.HOME as string);
  // Short, so the stalling faults end fast; an endless body needs time to reach the 16 MiB cap for
  // 19 services at once on a loaded 2-core runner, and must hit the cap, not the clock.
  const timeout = fault === 'endless-body' ? '10' : '2';
  const result = await runBin(
    ['--hash', SHA256, `--services=${[...faulted, ...healthy].join(',')}`, '--timeout', timeout, ...args],
    { env: fullEnv },
  );
  return { ...result, home: fullEnv.HOME as string };
}

/** Any run of 8 or more characters of any key, anywhere in `text`. */
function leakedKeys(text: string): string[] {
  const leaks: string[] = [];
  for (const [id, key] of Object.entries(KEYS)) {
    for (let i = 0; i + 8 <= key.length; i++) {
      if (text.includes(key.slice(i, i + 8))) {
        leaks.push(`${id}@${i}`);
        break;
      }
    }
  }
  return leaks;
}

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

/** Bidi controls: they make `exe.txt` read as `txt.exe`. */
const BIDI = new Set([
  0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
]);

/** Control characters and bidi overrides left once SGR colour codes are set aside. */
function controlsIn(text: string): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the colour codes are what this sets aside.
  const plain = text.replaceAll(/\u001b\[[0-9;]*m/g, '');
  const found = new Set<string>();
  for (const char of plain) {
    const code = char.codePointAt(0) ?? 0;
    const control = (code < 0x20 && char !== '\n' && char !== '\t') || (code >= 0x7f && code <= 0x9f);
    if (control || BIDI.has(code)) found.add(`U+${code.toString(16).padStart(4, '0')}`);
  }
  return [...found];
}

function rows(stdout: string): Map<string, ServiceResult> {
  const report = JSON.parse(stdout) as Report;
  return new Map((report.results[0]?.services ?? []).map((s) => [s.service, s]));
}

function assertNoLeak(run: { stdout: string; stderr: string; home: string }) {
  expect(leakedKeys(run.stdout)).toEqual([]);
  expect(leakedKeys(run.stderr)).toEqual([]);
  for (const file of filesUnder(join(run.home, '.cache'))) {
    expect(leakedKeys(readFileSync(file).toString('latin1')), file).toEqual([]);
  }
}

describe('fault matrix: every fault × every HTTP service (built binary)', () => {
  const faulted = HTTP_SERVICES.filter((id) => id !== CONTROL);

  for (const [fault, code] of Object.entries(EXPECTED) as [Fault | 'refused', string][]) {
    it(`${fault}: every service shows ${code}, the control still answers, nothing leaks`, async () => {
      const before = vendor.hits.length;
      const otherBefore = vendor.otherHits.length;
      const run = await runWith(fault, faulted, [CONTROL], ['--json']);
      const byService = rows(run.stdout);
      const got = Object.fromEntries(
        faulted.map((id) => [id, byService.get(id)?.error?.code ?? byService.get(id)?.status]),
      );
      expect(got).toEqual(Object.fromEntries(faulted.map((id) => [id, code])));
      // The control found the file malicious: exit 1 (a verdict wins over "some services failed").
      expect(byService.get(CONTROL)).toMatchObject({ status: 'found', verdict: 'malicious' });
      expect(run.code).toBe(1);
      assertNoLeak(run);
      // Nothing with a key ever reached the other host.
      expect(leakedKeys(JSON.stringify(vendor.otherHits.slice(otherBefore)))).toEqual([]);
      if (fault === 'redirect-loop') {
        // At most 5 hops: 6 requests per lookup.
        const perService = vendor.hits.slice(before).filter((h) => h.service === 'virustotal').length;
        expect(perService).toBeLessThanOrEqual(6);
      }
      if (fault === 'endless-body') {
        // The reader stopped at its cap: no service drew much more than 16 MiB plus socket buffers.
        for (const [id, bytes] of vendor.endlessBytes) expect(bytes, id).toBeLessThan(40 * 1024 * 1024);
      }
    }, 60_000);

    it(`${fault}: the control service meets it too while another answers`, async () => {
      const run = await runWith(fault, [CONTROL], [SECOND_CONTROL], ['--json']);
      const byService = rows(run.stdout);
      expect(byService.get(CONTROL)?.error?.code).toBe(code);
      expect(byService.get(SECOND_CONTROL)).toMatchObject({ status: 'found', verdict: 'malicious' });
      expect(run.code).toBe(1);
      assertNoLeak(run);
    }, 30_000);
  }

  it('redirect-same is followed with the key to the same host', async () => {
    const before = vendor.hits.length;
    await runWith('redirect-same', ['virustotal'], [], ['--json']);
    const second = vendor.hits
      .slice(before)
      .find((h) => h.fault === 'server-error' && h.service === 'virustotal');
    expect(second?.headers).toContain(KEYS.virustotal);
  }, 30_000);

  it('hostile-200: keys and escape sequences inside real answers never reach the terminal, JSON or cache', async () => {
    const table = await runWith('hostile-200', HTTP_SERVICES, [], ['--all']);
    expect(controlsIn(table.stdout)).toEqual([]);
    expect(controlsIn(table.stderr)).toEqual([]);
    assertNoLeak(table);
    const json = await runWith('hostile-200', HTTP_SERVICES, [], ['--json']);
    assertNoLeak(json);
    // VirusTotal's engine names carried the key: the report is still read, with the key masked.
    expect(rows(json.stdout).get('virustotal')).toMatchObject({ status: 'found', verdict: 'malicious' });
    expect([0, 1, 3]).toContain(json.code);
  }, 60_000);
});
