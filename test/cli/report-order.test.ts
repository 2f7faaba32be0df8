/** --sort and --only-flagged: what the report lists, and in which order; the exit code counts all. */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Report } from '../../src/model/report.js';
import { fakeIo } from '../helpers/fake-io.js';
import { engines, fakeService } from '../helpers/fake-services.js';
import { tempDir } from '../helpers/temp-dir.js';

const MALICIOUS = 'a'.repeat(64);
const CLEAN = 'c'.repeat(64);
const UNKNOWN = 'b'.repeat(64);
const registry = [
  fakeService('engines', (h) =>
    h.value === MALICIOUS
      ? { entries: engines(5, 1, 10) }
      : h.value === CLEAN
        ? { entries: [], verdict: 'clean' }
        : null,
  ),
];

async function run(args: string) {
  const dir = () => tempDir('ti-check-order-');
  const io = fakeIo({ env: { XDG_CONFIG_HOME: dir(), XDG_CACHE_HOME: dir() }, cwd: dir() });
  // Given clean, unknown, malicious: the worst is last on purpose.
  const hashes = `--hash ${CLEAN} --hash ${UNKNOWN} --hash ${MALICIOUS}`;
  const code = await main(`${hashes} ${args}`.split(' ').filter(Boolean), io, registry);
  return { code, out: io.out(), err: io.err() };
}

const order = (out: string) => (JSON.parse(out) as Report).results.map((r) => r.target.sha256?.[0]);

describe('report order and --only-flagged', () => {
  it('lists the worst first by default, in every collected format', async () => {
    expect(order((await run('--json')).out)).toEqual(['a', 'b', 'c']);
    const table = (await run('')).out;
    expect(table.indexOf(MALICIOUS)).toBeLessThan(table.indexOf(UNKNOWN));
    expect(table.indexOf(UNKNOWN)).toBeLessThan(table.indexOf(CLEAN));
  });

  it('--sort input keeps the order given; --sort path sorts by name', async () => {
    expect(order((await run('--json --sort input')).out)).toEqual(['c', 'b', 'a']);
    expect(order((await run('--json --sort path')).out)).toEqual(['a', 'b', 'c']);
    expect((await run('--sort size')).code).toBe(2);
  });

  it('--only-flagged reports the flagged targets, says how many it left out, and still exits 1', async () => {
    const json = await run('--json --only-flagged');
    expect(json.code).toBe(1);
    expect(order(json.out)).toEqual(['a']);
    // The table keeps its batch layout for a run cut down to one target, and says what it left out.
    const table = await run('--only-flagged');
    expect(table.out).toMatch(/^target +verdict +ENGINES\n/);
    expect(table.out).toContain('1 target: 1 malicious · 2 more not shown (--only-flagged)');
    expect(table.out).not.toContain(CLEAN);
  });

  it('--only-flagged with nothing flagged prints an empty report and exits 0', async () => {
    const dir = () => tempDir('ti-check-order-');
    const io = fakeIo({ env: { XDG_CONFIG_HOME: dir(), XDG_CACHE_HOME: dir() }, cwd: dir() });
    const code = await main(['--hash', CLEAN, '--only-flagged', '--json'], io, registry);
    expect(code).toBe(0);
    expect((JSON.parse(io.out()) as Report).results).toEqual([]);
  });
});
