/**
 * The analyst's screen: the built binary in a real pseudo-terminal at 80, 120 and 200 columns with
 * colour on, against a local vendor answering real recorded responses (every HTTP service points at
 * it, keyed or not; Team Cymru at a local DNS server). Whatever the width, the report with its
 * colour codes removed is the NO_COLOR report, no line is wider than the terminal (but for a URL
 * longer than the terminal, alone on its line: a hard break would make a wrong, clickable link),
 * and no escape fragment is left over.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { SERVICES } from '../../src/services/index.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { type FakeVendor, startFakeVendor } from '../helpers/fake-vendor.js';
import { foundAnswer } from '../helpers/found-answers.js';
import { assertBuilt, isolatedEnv, runBin } from '../helpers/run-bin.js';
import { runInTerminal, stripSgr, visibleWidth } from '../helpers/terminal.js';
import { fixture } from '../http-mock.js';

const SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
/** Given a key; they answer with their real recorded "found" response. */
const KEYED = ['virustotal', 'metadefender', 'malwarebazaar', 'threatfox', 'otx'];
/** Given a key; it fails (HTTP 500), so its row turns red while the others answer. */
const FAILING = 'hybridanalysis';

const keyOf = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 32);

let vendor: FakeVendor;
let dns: TestDnsServer;

beforeAll(async () => {
  assertBuilt();
  vendor = await startFakeVendor([
    {
      path: new RegExp(`^/${FAILING}/`),
      status: 500,
      body: '<html><body>Internal Server Error</body></html>',
    },
    // CIRCL's recorded miss; the other keyless services answer what they know.
    { path: /^\/hashlookup\//, status: 404, body: () => fixture('hashlookup', 'not-found.json') },
    {
      path: /^\/(\w+)\//,
      body: (req) => foundAnswer(req.path.split('/')[1] ?? '', req.path) ?? '{}',
    },
  ]);
  dns = await startDnsServer();
});
afterAll(async () => {
  await vendor.close();
  await dns.close();
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const vars: Record<string, string> = { TI_CHECK_CYMRU_URL: dns.url };
  for (const { id } of SERVICES) {
    if (id === 'cymru') continue;
    vars[`TI_CHECK_${id.toUpperCase()}_URL`] = `${vendor.url}/${id}`;
  }
  for (const id of [...KEYED, FAILING]) vars[`TI_CHECK_${id.toUpperCase()}_KEY`] = keyOf(id);
  return isolatedEnv({ ...vars, ...extra });
}

const ARGS = ['--hash', SHA256, '--no-cache'];
const URL_LINE = /^https?:\/\/\S+$/;

/** Every line fits, or is a lone URL the terminal soft-wraps. */
function overwide(screen: string, columns: number): string[] {
  return stripSgr(screen)
    .trimEnd()
    .split('\n')
    .filter((line) => visibleWidth(line) > columns && !URL_LINE.test(line));
}

describe('the single-file report on a real terminal', () => {
  it.each([80, 120, 200])(
    'at %i columns: intact, within the width, colour-stripped = NO_COLOR',
    async (columns) => {
      const [colour, plain] = await Promise.all([
        runInTerminal(ARGS, { columns, env: env({ FORCE_COLOR: '1' }) }),
        runInTerminal(ARGS, { columns, env: env({ NO_COLOR: '1' }) }),
      ]);
      expect(colour.code).toBe(1);
      expect(plain.code).toBe(1);
      expect(colour.screen).toContain('\x1b[31m');
      expect(plain.screen).not.toContain('\x1b');
      expect(overwide(colour.screen, columns)).toEqual([]);
      const stripped = stripSgr(colour.screen);
      expect(stripped).not.toContain('\x1b');
      expect(stripped).not.toMatch(/\[\d+(;\d+)*m|\b\d{1,2}m\b/);
      expect(stripped).toBe(plain.screen);
    },
  );

  it('fits about one screen at 120 columns, and --all lists every row', async () => {
    const compact = await runInTerminal(ARGS, { columns: 120, env: env({ NO_COLOR: '1' }) });
    const all = await runInTerminal([...ARGS, '--all'], { columns: 120, env: env({ NO_COLOR: '1' }) });
    const height = (screen: string) => screen.trimEnd().split('\n').length;
    // Eight services know this sample (four of them engines or sandboxes with dozens of rows).
    expect(height(compact.screen)).toBeLessThanOrEqual(60);
    expect(compact.screen).toMatch(/… and \d+ more flagged/);
    expect(compact.screen).toContain('services need a key (ti-check services)');
    expect(height(all.screen)).toBeGreaterThan(2 * height(compact.screen));
    expect(all.screen).not.toContain('more flagged');
  });

  it('no line of `ti-check --hash` on a plain pipe is cut or garbled either', async () => {
    const piped = await runBin(ARGS, { env: env() });
    expect(piped.code).toBe(1);
    expect(piped.stdout).not.toContain('\x1b');
    expect(piped.stdout).toContain('▸ VirusTotal');
  });
});

describe('`ti-check services` on a real terminal', () => {
  it.each([80, 120, 200])(
    'at %i columns: within the width, every docs and sign-up link whole',
    async (columns) => {
      const [colour, plain] = await Promise.all([
        runInTerminal(['services'], { columns, env: isolatedEnv({ FORCE_COLOR: '1' }) }),
        runInTerminal(['services'], { columns, env: isolatedEnv({ NO_COLOR: '1' }) }),
      ]);
      expect(colour.code).toBe(0);
      expect(overwide(colour.screen, columns)).toEqual([]);
      expect(stripSgr(colour.screen)).toBe(plain.screen);
      for (const service of SERVICES) {
        expect(plain.screen).toContain(`docs ${service.docs}`);
        if (service.auth.signup && service.auth.key !== 'none')
          expect(plain.screen).toContain(`get a key ${service.auth.signup}`);
      }
      expect(plain.screen).toMatch(
        / {2}virustotal +VirusTotal .*\n +also vt · multi-engine · set TI_CHECK_VIRUSTOTAL_KEY/,
      );
    },
  );
});

describe('the batch report on a real terminal', () => {
  // Services whose rate limits let three lookups through at once (CAPE's 5/min would make it wait).
  const SERVICES_ASKED = `--services=${[...KEYED, FAILING, 'hashlookup'].join(',')}`;
  const BATCH = [
    '--no-cache',
    SERVICES_ASKED,
    '--hash',
    SHA256,
    '--hash',
    'ab'.repeat(32),
    '--hash',
    'cd'.repeat(32),
  ];
  it.each([80, 120, 200])(
    'at %i columns: within the width, names whole, colour-stripped = NO_COLOR',
    async (columns) => {
      const [colour, plain] = await Promise.all([
        runInTerminal(BATCH, { columns, env: env({ FORCE_COLOR: '1' }) }),
        runInTerminal(BATCH, { columns, env: env({ NO_COLOR: '1' }) }),
      ]);
      expect(colour.code).toBe(1);
      expect(overwide(colour.screen, columns)).toEqual([]);
      const stripped = stripSgr(colour.screen);
      expect(stripped).not.toContain('\x1b');
      expect(stripped).toBe(plain.screen);
      // Every hash is on screen whole (on one line, or wrapped without losing a character).
      for (const hash of [SHA256, 'ab'.repeat(32)]) expect(plain.screen.replace(/\n */g, '')).toContain(hash);
      expect(plain.screen).toMatch(/failures: Hybrid Analysis failed 3 of 3 \(unavailable\)/);
    },
  );
});

describe('a lookup by MD5 learns the SHA-256', () => {
  // The MD5 of the file in VirusTotal's recorded report, which names all three of its digests.
  const MD5 = 'b214da9f6b0d6e6de5090b3f9672defe';
  const SHA256_OF_IT = '001015aafcae8a6942366cbb0e7d39c0738752a7800c41ea1c655d47b0a4d04c';

  it('the JSON carries it, marked with its source, and the link points at the SHA-256 page', async () => {
    const run = await runBin(['--hash', MD5, '--json', '--no-cache', '--services=virustotal'], {
      env: env(),
    });
    const [result] = (JSON.parse(run.stdout) as Report).results;
    expect(result?.target).toMatchObject({
      md5: MD5,
      sha1: 'b7162dfcbcac2724c71c03385abe577e1ab0cd8d',
      sha256: SHA256_OF_IT,
      hashesFrom: { sha1: 'virustotal', sha256: 'virustotal' },
    });
    expect(result?.services[0]?.link).toBe(`https://www.virustotal.com/gui/file/${SHA256_OF_IT}`);
  });

  it('the table says whose word it is', async () => {
    const tty = await runInTerminal(['--hash', MD5, '--no-cache', '--services=virustotal'], {
      columns: 120,
      env: env({ NO_COLOR: '1' }),
    });
    expect(tty.screen).toContain(`sha256   ${SHA256_OF_IT}  (from VirusTotal)`);
  });
});
