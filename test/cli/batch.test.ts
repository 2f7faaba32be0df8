import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { AuthError } from '../../src/errors.js';
import type { TargetResult } from '../../src/model/report.js';
import { fakeIo } from '../helpers/fake-io.js';
import { engines, fakeService } from '../helpers/fake-services.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = () => tempDir('ti-check-batch-cli-');
const GOOD = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);

function registry(calls: string[]) {
  return [
    fakeService(
      'goodlist',
      (h) => {
        calls.push(`goodlist:${h.value}`);
        return h.value === GOOD ? { entries: [], verdict: 'clean' } : null;
      },
      { kind: 'known-good' },
    ),
    fakeService('engines', (h) => {
      calls.push(`engines:${h.value}`);
      return { entries: engines(0, 1, 5) };
    }),
  ];
}

async function run(args: string[], calls: string[], stdin?: string, cacheHome = tmp()) {
  const io = fakeIo({ env: { XDG_CONFIG_HOME: tmp(), XDG_CACHE_HOME: cacheHome }, cwd: tmp() });
  if (stdin !== undefined) io.stdin = () => Readable.from([stdin]);
  const code = await main(args, io, registry(calls));
  return { code, out: io.out(), err: io.err() };
}

describe('batch CLI', () => {
  it('makes standard input only for a run that reads hashes from it', async () => {
    const asked: string[] = [];
    const lookUp = async (args: string[]) => {
      const io = fakeIo({ env: { XDG_CONFIG_HOME: tmp(), XDG_CACHE_HOME: tmp() }, cwd: tmp() });
      io.stdin = () => {
        asked.push(args[0] as string);
        return Readable.from([`${OTHER}\n`]);
      };
      return main(args, io, registry([]));
    };
    expect(await lookUp(['--hash', OTHER, '--json'])).toBe(0);
    expect(asked).toEqual([]);
    expect(await lookUp(['-', '--json'])).toBe(0);
    expect(asked).toEqual(['-']);
  });

  it('--skip-known-good spends the other services only on files the known-good list does not know', async () => {
    const calls: string[] = [];
    const { code, out } = await run(['-', '--skip-known-good', '--ndjson'], calls, `${GOOD}\n${OTHER}\n`);
    expect(code).toBe(0);
    expect(calls.sort()).toEqual([`engines:${OTHER}`, `goodlist:${GOOD}`, `goodlist:${OTHER}`]);
    const results = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TargetResult);
    const good = results.find((r) => r.target.sha1 === GOOD);
    expect(good?.services[1]).toMatchObject({ status: 'disabled', hint: expect.stringContaining('skipped') });
  });

  it('a cached answer is reused and marked; --offline asks nobody; --refresh asks again', async () => {
    const calls: string[] = [];
    const cache = tmp();
    await run(['--hash', OTHER, '--json'], calls, undefined, cache);
    expect(calls).toHaveLength(2);
    const again = await run(['--hash', OTHER, '--json', '--offline'], calls, undefined, cache);
    expect(calls).toHaveLength(2);
    const services = (JSON.parse(again.out) as { results: TargetResult[] }).results[0]?.services;
    expect(services?.map((s) => s.cached)).toEqual([true, true]);
    await run(['--hash', OTHER, '--refresh'], calls, undefined, cache);
    expect(calls).toHaveLength(4);
  });

  it('a directory with a zero-byte file finishes; a batch table has one row per file', async () => {
    const calls: string[] = [];
    const dir = tmp();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'empty'), '');
    writeFileSync(join(dir, 'x.txt'), 'x');
    const { code, out, err } = await run([dir, '--no-cache'], calls);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(/empty\s+CLEAN\s+-\s+0\/6/);
    expect(out).toContain('2 targets: 2 clean');
  });
});

describe('--max-size', () => {
  it('skips files above the size with a warning, checks the rest, and still exits on their verdicts', async () => {
    const calls: string[] = [];
    const dir = tmp();
    writeFileSync(join(dir, 'small.bin'), 'x'.repeat(10));
    writeFileSync(join(dir, 'edge.bin'), 'y'.repeat(1024)); // exactly 1k: not above it
    writeFileSync(join(dir, 'big.bin'), 'z'.repeat(1025));
    const { code, out, err } = await run([dir, '--max-size', '1k', '--ndjson', '--no-cache'], calls);
    expect(code).toBe(0);
    expect(err).toBe(`ti-check: ${join(dir, 'big.bin')}: skipped, 1025 bytes is over --max-size\n`);
    const checked = out
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as TargetResult).target);
    expect(checked.map((t) => [t.path, t.size]).sort()).toEqual([
      [join(dir, 'edge.bin'), 1024],
      [join(dir, 'small.bin'), 10],
    ]);
    // The skipped file was never hashed, so never asked about: two files, two services each.
    expect(calls).toHaveLength(4);
  });

  it('a size it cannot read is one line and exit 2, before any service is asked', async () => {
    const calls: string[] = [];
    const dir = tmp();
    writeFileSync(join(dir, 'a.bin'), 'a');
    const { code, out, err } = await run([dir, '--max-size', 'ten megs'], calls);
    expect(code).toBe(2);
    expect(err).toBe('ti-check: --max-size: expected a size like 500k, 10M or 2G, got "ten megs"\n');
    expect(out).toBe('');
    expect(calls).toEqual([]);
  });
});

describe('a hash list with invalid lines', () => {
  it('checks every valid line, names each invalid one by number, then exits 2', async () => {
    const calls: string[] = [];
    const list = `${GOOD}\nnot-a-hash\n\n# a comment\n${OTHER} second file\n${'c'.repeat(39)}\n`;
    const { code, out, err } = await run(['-', '--ndjson', '--no-cache'], calls, list);
    expect(code).toBe(2);
    expect(err).toBe(
      'ti-check: stdin:2: not an MD5, SHA1 or SHA256 hash: "not-a-hash" (expected 32, 40 or 64 hexadecimal characters)\n' +
        `ti-check: stdin:6: not an MD5, SHA1 or SHA256 hash: "${'c'.repeat(39)}" (expected 32, 40 or 64 hexadecimal characters)\n`,
    );
    const results = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TargetResult);
    expect(results.map((r) => [r.target.sha1, r.verdict])).toEqual([
      [GOOD, 'clean'],
      [OTHER, 'clean'],
    ]);
    expect(calls.sort()).toEqual([
      `engines:${GOOD}`,
      `engines:${OTHER}`,
      `goodlist:${GOOD}`,
      `goodlist:${OTHER}`,
    ]);
  });

  it('names the --hash-file it read; a malicious target still wins with exit 1', async () => {
    const file = join(tmp(), 'hashes.txt');
    writeFileSync(file, `${OTHER}\nzz\n`);
    const flagging = [fakeService('engines', () => ({ entries: engines(5, 0, 5) }))];
    const io = fakeIo({ env: { XDG_CONFIG_HOME: tmp(), XDG_CACHE_HOME: tmp() }, cwd: tmp() });
    const code = await main(['--hash-file', file, '--json'], io, flagging);
    expect(code).toBe(1);
    expect(io.err()).toContain(
      `ti-check: ${file}:2: not an MD5, SHA1 or SHA256 hash: "zz" (expected 32, 40 or 64 hexadecimal characters)\n`,
    );
    const report = JSON.parse(io.out()) as { results: TargetResult[] };
    expect(report.results.map((r) => [r.target.sha1, r.verdict])).toEqual([[OTHER, 'malicious']]);
  });
});

describe('services.<id>.concurrency from the config file', () => {
  /** A turn of the event loop: the CLI's in-memory work queued before it has run. */
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** Turns until `ready()` holds (a bounded count of turns, never a clock). */
  async function until(ready: () => boolean, state: () => unknown) {
    for (let i = 0; i < 10_000 && !ready(); i++) await turn();
    expect(ready(), `never reached; lookups in flight: ${JSON.stringify(state())}`).toBe(true);
  }

  it('caps the lookups of that service in flight; the others keep the default of 4', async () => {
    const held = new Map<string, Array<() => void>>([
      ['capped', []],
      ['free', []],
    ]);
    const most = new Map<string, number>();
    const hold = (id: string) =>
      fakeService(id, async () => {
        const waiting = held.get(id) as Array<() => void>;
        const answer = new Promise<void>((resolve) => waiting.push(resolve));
        most.set(id, Math.max(most.get(id) ?? 0, waiting.length));
        await answer;
        return null;
      });
    const config = join(tmp(), 'ti.json');
    writeFileSync(config, JSON.stringify({ services: { capped: { concurrency: 2 } } }));
    const io = fakeIo({ env: { XDG_CONFIG_HOME: tmp(), XDG_CACHE_HOME: tmp() }, cwd: tmp() });
    io.stdin = () =>
      Readable.from([`${Array.from({ length: 8 }, (_, i) => String(i).repeat(40)).join('\n')}\n`]);
    const exit = main(['-', '--ndjson', '--no-cache', '--config', config], io, [
      hold('capped'),
      hold('free'),
    ]);
    const inFlight = (id: string) => held.get(id)?.length ?? 0;
    const releaseAll = (id: string) => {
      for (const release of held.get(id)?.splice(0) ?? []) release();
    };

    // Until a service has answered once, one request at a time (the throttle's probe).
    const state = () => ({ capped: inFlight('capped'), free: inFlight('free') });
    await until(() => inFlight('capped') === 1 && inFlight('free') === 1, state);
    releaseAll('capped');
    releaseAll('free');
    // Then each service up to its cap, and no further while the first ones are out.
    await until(() => inFlight('capped') === 2 && inFlight('free') === 4, state);
    for (let i = 0; i < 20; i++) await turn();
    expect([inFlight('capped'), inFlight('free')]).toEqual([2, 4]);
    let finished = false;
    void exit.finally(() => {
      finished = true;
    });
    while (!finished) {
      releaseAll('capped');
      releaseAll('free');
      await turn();
    }
    expect(await exit).toBe(0);
    expect(io.out().trim().split('\n')).toHaveLength(8);
    expect(Object.fromEntries(most)).toEqual({ capped: 2, free: 4 });
  });
});

describe('a service that cannot answer is not asked again and again', () => {
  it('a rejected key costs one request for 20 hashes, and one line naming the fix', async () => {
    let asked = 0;
    const vt = fakeService(
      'vt',
      () => {
        asked++;
        throw new AuthError('HTTP 401 Unauthorized: {"error":{"code":"WrongCredentialsError"}}');
      },
      { displayName: 'VirusTotal', auth: { key: 'required' } },
    );
    const hashes = Array.from({ length: 20 }, (_, i) => i.toString(16).padStart(40, '0'));
    const io = fakeIo({ env: { XDG_CONFIG_HOME: tmp(), TI_CHECK_VT_KEY: 'wrong-key-123456' }, cwd: tmp() });
    io.stdin = () => Readable.from([`${hashes.join('\n')}\n`]);
    const code = await main(['-', '--ndjson'], io, [vt]);
    expect(code).toBe(3);
    expect(asked).toBe(1);
    const rows = io
      .out()
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as TargetResult).services[0]?.error);
    expect(new Set(rows.map((e) => JSON.stringify(e)))).toEqual(
      new Set([
        JSON.stringify({
          code: 'auth',
          message: 'VirusTotal rejected the API key (HTTP 401): check TI_CHECK_VT_KEY',
        }),
      ]),
    );
    expect(
      io
        .err()
        .split('\n')
        .filter((l) => l.includes('rejected the API key')),
    ).toEqual(['ti-check: vt: VirusTotal rejected the API key (HTTP 401): check TI_CHECK_VT_KEY']);
  });

  it('a key echoed inside an answer is masked before the cache or any format sees it', async () => {
    const KEY = 'echoed-key-0123456789abcdef';
    const echo = fakeService('echo', () => ({
      entries: [{ name: `Engine ${KEY}`, category: 'malicious', detail: `sig for ${KEY.slice(0, 20)}` }],
      summary: `account ${KEY}`,
    }));
    const cacheHome = tmp();
    const io = fakeIo({
      env: { XDG_CONFIG_HOME: tmp(), XDG_CACHE_HOME: cacheHome, TI_CHECK_ECHO_KEY: KEY },
      cwd: tmp(),
    });
    await main(['--hash', OTHER, '--json'], io, [echo]);
    const service = (JSON.parse(io.out()) as { results: TargetResult[] }).results[0]?.services[0];
    expect(service?.entries).toEqual([{ name: 'Engine ***', category: 'malicious', detail: 'sig for ***' }]);
    expect(io.out()).not.toContain(KEY.slice(0, 8));
    // The cache holds the redacted answer only.
    const files = readdirSync(cacheHome, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(readFileSync(join(file.parentPath, file.name)).toString('latin1')).not.toContain(
        KEY.slice(0, 8),
      );
    }
  });
});
