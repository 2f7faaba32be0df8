import { createHash } from 'node:crypto';
import { it } from 'vitest';
import { SERVICES } from '../../src/services/index.js';
import { startDnsServer } from '../helpers/dns-server.js';
import { startFakeVendor } from '../helpers/fake-vendor.js';
import { foundAnswer } from '../helpers/found-answers.js';
import { BIN, isolatedEnv } from '../helpers/run-bin.js';
import { runInTerminal } from '../helpers/terminal.js';
import { fixture } from '../http-mock.js';

const KEYED = ['virustotal', 'metadefender', 'malwarebazaar', 'threatfox', 'otx', 'hybridanalysis'];
/**
 * Before/after figures for the report's size (issue 9), not a check: lines and widest line of the
 * single-file and batch reports of this build and of another one, in a PTY at 80 and 120 columns.
 * TI_CHECK_COMPARE_BIN=<other checkout>/dist/cli/bin.cjs npx vitest run test/e2e/screen-size.e2e.test.ts
 */
it.skipIf(!process.env.TI_CHECK_COMPARE_BIN)(
  'report size, this build against TI_CHECK_COMPARE_BIN',
  async () => {
    const vendor = await startFakeVendor([
      { path: /^\/hybridanalysis\//, status: 500, body: '<html><body>Internal Server Error</body></html>' },
      { path: /^\/hashlookup\//, status: 404, body: () => fixture('hashlookup', 'not-found.json') },
      { path: /^\/(\w+)\//, body: (req) => foundAnswer(req.path.split('/')[1] ?? '', req.path) ?? '{}' },
    ]);
    const dns = await startDnsServer();
    const vars: Record<string, string> = { TI_CHECK_CYMRU_URL: dns.url };
    for (const { id } of SERVICES)
      if (id !== 'cymru') vars[`TI_CHECK_${id.toUpperCase()}_URL`] = `${vendor.url}/${id}`;
    for (const id of KEYED)
      vars[`TI_CHECK_${id.toUpperCase()}_KEY`] = createHash('sha256').update(id).digest('hex').slice(0, 32);
    const hashes = Array.from({ length: 4 }, (_, i) => i.toString(16).padStart(2, '0').repeat(32));
    for (const [label, bin] of [
      ['other', process.env.TI_CHECK_COMPARE_BIN ?? ''],
      ['this', BIN],
    ]) {
      for (const [what, args] of [
        [
          'single',
          ['--hash', '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', '--no-cache'],
        ],
        [
          'batch4',
          [
            '--no-cache',
            `--services=${[...KEYED, 'hashlookup'].join(',')}`,
            ...hashes.flatMap((h) => ['--hash', h]),
          ],
        ],
      ] as const) {
        for (const cols of [80, 120]) {
          const r = await runInTerminal([...args], {
            columns: cols,
            bin,
            env: isolatedEnv({ ...vars, NO_COLOR: '1' }),
          });
          const screen = r.screen;
          const lines = screen.trimEnd().split('\n');
          const widest = Math.max(...lines.map((l) => [...l].length));
          console.log(`${label} ${what} ${cols} cols: ${lines.length} lines, widest ${widest}`);
        }
      }
    }
    await vendor.close();
    await dns.close();
  },
  600_000,
);
