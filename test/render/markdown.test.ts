import { describe, expect, it } from 'vitest';
import type { OverallVerdict } from '../../src/model/report.js';
import type { Judged } from '../../src/render/common.js';
import { MARKDOWN_BUDGET, renderMarkdown } from '../../src/render/markdown.js';
import { engines } from '../helpers/fake-services.js';
import { fixtureReport, NAMES } from '../helpers/report-fixture.js';

const FIXTURE = fixtureReport();
const render = (results: readonly Judged[]) => renderMarkdown(results, { names: NAMES });

function byVerdict(verdict: OverallVerdict): Judged {
  const found = FIXTURE.find((r) => r.verdict === verdict && !r.allowList);
  if (!found) throw new Error(`the fixture has no ${verdict} file`);
  return found;
}

/** The fixture row for `verdict`, as file `n` with its own hashes, a long name and 60 long detections. */
function bulky(n: number, verdict: OverallVerdict, name = `artifact-${n}-${'long'.repeat(10)}.exe`): Judged {
  const base = byVerdict(verdict);
  const hex = n.toString(16).padStart(8, '0');
  const entries = engines(verdict === 'clean' ? 0 : 60, 5).map((e) =>
    e.detail ? { ...e, detail: `Trojan.Win32.Generic.${'x'.repeat(40)}.${n}` } : e,
  );
  return {
    ...base,
    target: {
      ...base.target,
      path: `build/output/${'deeply-nested-directory/'.repeat(4)}${name}`,
      md5: hex.repeat(4),
      sha1: hex.repeat(5),
      sha256: hex.repeat(8),
    },
    services: base.services.map((s, i) => (i === 0 ? { ...s, entries } : s)),
  };
}

/** A copy of `r` found at another path: same hashes, same answers. */
const copy = (r: Judged, path: string): Judged => ({ ...r, target: { ...r.target, path } });

const verdictOf = (n: number): OverallVerdict =>
  n % 17 === 3 ? 'malicious' : n % 13 === 1 ? 'suspicious' : 'clean';

/** 500 files, mostly clean, with the flagged ones scattered among them (none of them first). */
const bigRun = (): Judged[] => Array.from({ length: 500 }, (_, n) => bulky(n, verdictOf(n)));

const detailsBlocks = (text: string) => text.match(/^<details>$/gm)?.length ?? 0;
const summaryVerdicts = (text: string) =>
  [...text.matchAll(/^<summary>.*? — <b>(\w+)<\/b>/gm)].map((m) => m[1]);
const flaggedTableVerdicts = (text: string) =>
  [...text.matchAll(/^\| \S+ \| <code>.*? \| \*\*(\w+)\*\* \|/gm)].map((m) => m[1]);
const leftOut = (text: string) => Number(/^Details of (\d+) more files? left out/m.exec(text)?.[1] ?? 0);

/** Every line of a table is a whole row and every HTML block is closed: nothing was cut. */
function expectWhole(text: string): void {
  for (const line of text.split('\n')) if (line.startsWith('|')) expect(line).toMatch(/ \|$/);
  expect(text.match(/<\/details>/g)?.length ?? 0).toBe(detailsBlocks(text));
  expect(text.match(/<code>/g)?.length ?? 0).toBe(text.match(/<\/code>/g)?.length ?? 0);
}

describe('renderMarkdown', () => {
  it('leads with the verdict counts of the fixture run', () => {
    expect(render(FIXTURE).split('\n').slice(0, 3)).toEqual([
      '## ti-check report',
      '',
      '**1 malicious, 1 suspicious, 1 clean, 1 unknown, 1 allow-listed of 5 files**',
    ]);
  });

  it('leaves a small report whole: every file has details and nothing is noted as left out', () => {
    const text = render(FIXTURE);
    expect(detailsBlocks(text)).toBe(FIXTURE.length);
    expect(text).not.toMatch(/left out|not listed|distinct by hash/);
  });

  describe('500 files with long names and 60 detections each', () => {
    const results = bigRun();
    const text = render(results);
    const flagged = results.filter((r) => r.verdict !== 'clean');

    it(`stays under ${MARKDOWN_BUDGET} characters, cutting no row or tag`, () => {
      expect(text.length).toBeLessThan(MARKDOWN_BUDGET);
      expect(text.length).toBeGreaterThan(MARKDOWN_BUDGET / 2);
      expectWhole(text);
    });

    it('lists every flagged file, malicious first, then suspicious', () => {
      const verdicts = flaggedTableVerdicts(text);
      const malicious = flagged.filter((r) => r.verdict === 'malicious').length;
      expect(verdicts).toHaveLength(flagged.length);
      expect(verdicts).toEqual([
        ...Array(malicious).fill('malicious'),
        ...Array(flagged.length - malicious).fill('suspicious'),
      ]);
    });

    it('gives details worst first and says how many files it left out', () => {
      const shown = summaryVerdicts(text);
      expect(shown.length).toBeGreaterThan(0);
      const rank = (v: string | undefined) => ['malicious', 'suspicious'].indexOf(v ?? '') >>> 0;
      expect(shown.map(rank)).toEqual([...shown.map(rank)].sort((a, b) => a - b));
      expect(shown[0]).toBe('malicious');
      expect(leftOut(text)).toBe(results.length - shown.length);
      expect(text.trimEnd().split('\n').at(-1)).toMatch(
        /^Details of \d+ more files left out to fit; the full report is in `--format json` or `--format html`\.$/,
      );
    });

    it('shows the rest too when there is room: 40 files fit whole', () => {
      const few = results.slice(0, 40).map((r) => ({ ...r, services: r.services.slice(1) }));
      const small = render(few);
      expect(detailsBlocks(small)).toBe(40);
      expect(leftOut(small)).toBe(0);
      expect(summaryVerdicts(small).slice(-1)).toEqual(['clean']);
    });
  });

  it('cuts even the flagged table by whole rows, with a note, when it alone is too long', () => {
    const results = Array.from({ length: 3000 }, (_, n) => bulky(n, 'malicious'));
    const text = render(results);
    expect(text.length).toBeLessThan(MARKDOWN_BUDGET);
    expectWhole(text);
    const rows = flaggedTableVerdicts(text).length;
    expect(rows).toBeGreaterThan(10);
    expect(text).toContain(
      `…and ${3000 - rows} more flagged files not listed: the full report is in \`--format json\` or \`--format html\`.`,
    );
    expect(leftOut(text)).toBe(3000);
  });

  describe('files with the same hash', () => {
    const evil = bulky(1, 'malicious', 'evil.exe');
    const results = [
      bulky(2, 'clean'),
      evil,
      copy(evil, 'copies/evil-2.exe'),
      copy(evil, 'copies/<b>evil</b> | 3.exe'),
      copy(evil, 'copies/evil-4.exe'),
    ];
    const text = render(results);

    it('appear once in the table and in the details, with every name', () => {
      expect(text).toContain('**4 malicious, 1 clean of 5 files** (2 distinct by hash)');
      expect(flaggedTableVerdicts(text)).toEqual(['malicious']);
      expect(text).toContain('evil.exe</code> and 3 more copies |');
      expect(detailsBlocks(text)).toBe(2);
      expect(text.match(/Trojan\.Win32\.Generic\.x+\.1$/gm)).toHaveLength(60);
      expect(text).toMatch(
        /^<summary>🔴 <code>[^<]*evil\.exe<\/code> and 3 more copies — <b>malicious<\/b>/m,
      );
      expect(text).toContain(
        '4 copies: <code>build/output/deeply-nested-directory/deeply-nested-directory/deeply-nested-directory/deeply-nested-directory/evil.exe</code>, <code>copies/evil-2.exe</code>, <code>copies/&lt;b&gt;evil&lt;/b&gt; &#124; 3.exe</code>, <code>copies/evil-4.exe</code>',
      );
    });

    it('are grouped by md5 when there is no sha256, and not when the hashes differ', () => {
      const md5Only = { ...evil, target: { ...evil.target, sha256: null, sha1: null } };
      const other = bulky(3, 'malicious', 'other.exe');
      const grouped = render([md5Only, copy(md5Only, 'b.exe'), other]);
      expect(flaggedTableVerdicts(grouped)).toEqual(['malicious', 'malicious']);
      expect(grouped).toContain('evil.exe</code> and 1 more copy |');
      expect(grouped).toContain('(2 distinct by hash)');
    });

    it('count every copy among the files left out', () => {
      const many = [
        ...bigRun(),
        ...Array.from({ length: 9 }, (_, i) => copy(bulky(499, 'clean'), `dup-${i}`)),
      ];
      const out = render(many);
      expect(out.length).toBeLessThan(MARKDOWN_BUDGET);
      expect(leftOut(out)).toBe(many.length - summaryVerdicts(out).length);
      expect(out).toContain('(500 distinct by hash)');
    });
  });
});
