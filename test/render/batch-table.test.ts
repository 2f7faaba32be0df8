import { describe, expect, it } from 'vitest';
import { renderBatchTable } from '../../src/render/batch-table.js';
import { sortResults } from '../../src/render/common.js';
import { RENDERERS } from '../../src/render/renderers.js';
import { plainStyler } from '../../src/render/styler.js';
import { fixtureReport, NAMES } from '../helpers/report-fixture.js';

const options = (width: number) => ({ styler: plainStyler, names: NAMES, width });
const lines = (text: string) => text.trimEnd().split('\n');

describe('the batch table', () => {
  it('has a column only for the services that were asked', () => {
    const [header] = lines(renderBatchTable(fixtureReport(), options(120)));
    expect(header).toMatch(/^target +verdict +Engines +Bazaar +Good List$/);
    expect(header).not.toContain('Keyed');
  });

  it('wraps a long name whole instead of cutting it from the left', () => {
    const text = renderBatchTable(fixtureReport(), options(100));
    expect(text).not.toContain('…');
    expect(text).toMatch(/\nd{46} UNKNOWN .*\nd{18}\n/);
    expect(lines(text).every((l) => l.length <= 100)).toBe(true);
  });

  it('switches to two lines per target when the grid does not fit, naming who found it', () => {
    // Through the table format, as the CLI prints it: the name's line break is shown as \n.
    const text = RENDERERS.table(fixtureReport(), { ...options(60), showAll: false, hyperlinks: false });
    expect(lines(text).every((l) => [...l].length <= 60)).toBe(true);
    expect(text).toContain(
      'MALICIOUS   dist/setup.exe\n            Engines 5/16 · Bazaar malicious · not found by 1',
    );
    expect(text).toMatch(
      /UNKNOWN {5}d{48}\n {12}d{16}\n {12}failed: Engines \(rate_limited\), Bazaar \(timeout\)\n/,
    );
  });

  it("keeps an unreadable file's reason within the width", () => {
    const [first, ...rest] = fixtureReport();
    if (!first) throw new Error('fixture');
    const unreadable = {
      ...first,
      services: [],
      error: { code: 'EACCES', message: `permission denied: ${'x'.repeat(300)}` },
    };
    const text = renderBatchTable([unreadable, ...rest], options(100));
    expect(lines(text).every((l) => [...l].length <= 100)).toBe(true);
    expect(text).toMatch(/dist\/setup\.exe +ERROR +permission denied: x+…x+\n/);
  });

  it('counts failures per service under the verdict counts', () => {
    const text = renderBatchTable(fixtureReport(), options(120));
    expect(lines(text).slice(-2)).toEqual([
      '5 targets: 1 malicious, 1 suspicious, 1 clean, 1 unknown, 1 allow-listed',
      'failures: Engines failed 1 of 5 (rate_limited) · Bazaar failed 1 of 5 (timeout)',
    ]);
  });

  it('says how many targets --only-flagged left out', () => {
    const flagged = fixtureReport().slice(0, 2);
    const text = renderBatchTable(flagged, { ...options(120), hidden: 3 });
    expect(text).toContain('2 targets: 1 malicious, 1 suspicious · 3 more not shown (--only-flagged)');
  });
});

describe('sortResults', () => {
  const names = (order: 'verdict' | 'path' | 'input') =>
    sortResults(fixtureReport().reverse(), order).map((r) => (r.allowList ? 'allowed' : r.verdict));
  it('puts the worst first: flagged, then unanswered, then settled', () => {
    expect(names('verdict')).toEqual(['malicious', 'suspicious', 'unknown', 'clean', 'allowed']);
  });
  it('keeps the input order, or sorts by name', () => {
    expect(names('input')).toEqual(['allowed', 'unknown', 'clean', 'suspicious', 'malicious']);
    // By what the report shows: the path, else the hash.
    expect(sortResults(fixtureReport(), 'path').map((r) => r.target.path ?? '-')).toEqual([
      '-',
      'dist/lib, "helper".dll',
      'dist/setup.exe',
      'dist/two\nlines & <b>.txt',
      '-',
    ]);
  });
});
