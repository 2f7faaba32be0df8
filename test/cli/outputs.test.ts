/** Several outputs from one run (-o … -o …), --quiet, and -v as --debug. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { planOutputs } from '../../src/cli/output-file.js';
import { fakeIo } from '../helpers/fake-io.js';
import { engines, fakeService } from '../helpers/fake-services.js';
import { tempDir } from '../helpers/temp-dir.js';

const MALICIOUS = 'a'.repeat(64);

function setup() {
  let asked = 0;
  const registry = [
    fakeService('engines', () => {
      asked++;
      return { entries: engines(5) };
    }),
  ];
  const cwd = tempDir('ti-check-outputs-');
  const dir = () => tempDir('ti-check-outputs-');
  const io = fakeIo({ env: { XDG_CONFIG_HOME: dir(), XDG_CACHE_HOME: dir() }, cwd });
  return { registry, cwd, io, asked: () => asked };
}

describe('planOutputs', () => {
  it('no -o: stdout in --format, table by default; --quiet: nothing', () => {
    expect(planOutputs([], undefined, false)).toEqual({ files: [], stdout: 'table' });
    expect(planOutputs([], 'json', false)).toEqual({ files: [], stdout: 'json' });
    expect(planOutputs([], 'json', true)).toEqual({ files: [], stdout: null });
  });
  it('one -o: --format, else its extension, else table; stdout stays empty', () => {
    expect(planOutputs(['r.out'], 'sarif', false)).toEqual({
      files: [{ path: 'r.out', format: 'sarif' }],
      stdout: null,
    });
    expect(planOutputs(['r.HTML'], undefined, false).files[0]?.format).toBe('html');
    expect(planOutputs(['r.out'], undefined, false).files[0]?.format).toBe('table');
  });
  it('several -o: each by its extension (--format for one without), the table on stdout', () => {
    expect(planOutputs(['a.sarif', 'b.md', 'c.out'], 'json', false)).toEqual({
      files: [
        { path: 'a.sarif', format: 'sarif' },
        { path: 'b.md', format: 'markdown' },
        { path: 'c.out', format: 'json' },
      ],
      stdout: 'table',
    });
    expect(() => planOutputs(['a.sarif', 'c.out'], undefined, false)).toThrow(
      '-o c.out: its extension names no format',
    );
  });
});

describe('the CLI with several outputs', () => {
  it('asks the vendors once and writes every file, the table still on stdout', async () => {
    const { registry, cwd, io, asked } = setup();
    const code = await main(
      ['--hash', MALICIOUS, '-o', 'r.sarif', '-o', 'summary.md', '-o', 'report.json'],
      io,
      registry,
    );
    expect(code).toBe(1);
    expect(asked()).toBe(1);
    expect(JSON.parse(readFileSync(join(cwd, 'r.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(readFileSync(join(cwd, 'summary.md'), 'utf8')).toMatch(/^## ti-check report/);
    expect(JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')).schemaVersion).toBe(1);
    expect(io.out()).toContain('verdict  MALICIOUS');
    expect(io.err()).toContain('ti-check: 1 of 1 target malicious');
    expect(readdirSync(cwd).sort()).toEqual(['r.sarif', 'report.json', 'summary.md']);
  });

  it('an output it cannot name a format for is refused before any lookup (exit 2)', async () => {
    const { registry, cwd, io, asked } = setup();
    const code = await main(['--hash', MALICIOUS, '-o', 'a.json', '-o', 'b.out'], io, registry);
    expect(code).toBe(2);
    expect(asked()).toBe(0);
    expect(io.err()).toBe(
      'ti-check: -o b.out: its extension names no format (.json, .ndjson, .csv, .sarif, .md, .html, .txt): rename it or add --format\n',
    );
    expect(existsSync(join(cwd, 'a.json'))).toBe(false);
  });
});

describe('--quiet and -v', () => {
  it('--quiet prints no report; the exit code and the gate line remain', async () => {
    const { registry, io } = setup();
    const code = await main(['--hash', MALICIOUS, '--quiet'], io, registry);
    expect(code).toBe(1);
    expect(io.out()).toBe('');
    expect(io.err()).toBe(`ti-check: 1 of 1 target malicious: ${MALICIOUS} (ENGINES 5/5)\n`);
  });

  it('-v and --verbose are --debug', async () => {
    const { registry } = setup();
    const dir = () => tempDir('ti-check-outputs-');
    const env = { XDG_CONFIG_HOME: dir(), XDG_CACHE_HOME: dir() };
    // The first run fills the cache; the next ones log their cache hit as --debug does.
    await main(['--hash', MALICIOUS, '--json'], fakeIo({ env, cwd: dir() }), registry);
    for (const flag of ['-v', '--verbose', '--debug']) {
      const io = fakeIo({ env, cwd: dir() });
      await main(['--hash', MALICIOUS, '--json', flag], io, registry);
      expect(io.err()).toContain(`ti-check: debug: engines: sha256 ${MALICIOUS}: from the cache`);
    }
  });
});
