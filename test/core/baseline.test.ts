import { closeSync, ftruncateSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_BASELINE_BYTES, readBaseline } from '../../src/core/baseline.js';
import { InputError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

const GOLDEN = new URL('../golden/report.json', import.meta.url);

describe('readBaseline', () => {
  it('takes a JSON report of ours (the golden one) and indexes its targets by every hash', async () => {
    const dir = tempDir('ti-check-baseline-');
    writeFileSync(join(dir, 'report.json'), readFileSync(GOLDEN));
    const baseline = await readBaseline('report.json', dir);
    const report = JSON.parse(readFileSync(GOLDEN, 'utf8'));
    expect(baseline.size).toBe(report.results.length);
    const first = report.results[0].target;
    expect(baseline.byHash.sha256.get(first.sha256)?.target.path).toBe(first.path);
    expect(baseline.byHash.md5.get(first.md5)?.target.path).toBe(first.path);
  });

  it('refuses a file over the bound without reading it (a sparse file of the bound + 1 byte)', async () => {
    const dir = tempDir('ti-check-baseline-');
    const fd = openSync(join(dir, 'huge.json'), 'w');
    ftruncateSync(fd, MAX_BASELINE_BYTES + 1);
    closeSync(fd);
    await expect(readBaseline('huge.json', dir)).rejects.toThrow(
      new InputError('--baseline huge.json: larger than 256 MiB'),
    );
  });

  it('one line for what is not a report: another JSON document, a later schemaVersion, a SARIF log', async () => {
    const dir = tempDir('ti-check-baseline-');
    const cases: [unknown, RegExp][] = [
      [
        { schemaVersion: 2, results: [] },
        /^--baseline x\.json: not a ti-check JSON report \(schemaVersion 1\) at schemaVersion: /,
      ],
      [
        { version: '2.1.0', runs: [] },
        /^--baseline x\.json: not a ti-check JSON report \(schemaVersion 1\) at schemaVersion: /,
      ],
      [[1, 2, 3], /^--baseline x\.json: not a ti-check JSON report \(schemaVersion 1\): /],
    ];
    for (const [data, message] of cases) {
      writeFileSync(join(dir, 'x.json'), JSON.stringify(data));
      const error = await readBaseline('x.json', dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
