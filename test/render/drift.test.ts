/** Drift in the renderers: the compact table, the batch table, Markdown's budget and escaping, SARIF. */
import { describe, expect, it } from 'vitest';
import { driftOf, indexBaseline } from '../../src/core/drift.js';
import { SCHEMA_VERSION } from '../../src/model/report.js';
import type { Judged } from '../../src/render/common.js';
import { MARKDOWN_BUDGET, renderMarkdown } from '../../src/render/markdown.js';
import { RENDERERS } from '../../src/render/renderers.js';
import { renderSarif } from '../../src/render/sarif.js';
import { plainStyler } from '../../src/render/styler.js';
import { fixtureReport, NAMES } from '../helpers/report-fixture.js';
import { sarifErrors } from '../helpers/report-schema.js';

const baseline = indexBaseline({ schemaVersion: SCHEMA_VERSION, results: fixtureReport() });
const context = (width: number, showAll = false) => ({
  styler: plainStyler,
  names: NAMES,
  width,
  showAll,
  hyperlinks: false,
});

/** The fixture's clean file after `turned` of its undetected engines started flagging it, `detail` each. */
function turned(turned: number, detail = 'Trojan.Gen'): Judged {
  const clean = structuredClone(fixtureReport()[2] as Judged);
  const engines = clean.services[0];
  if (!engines) throw new Error('fixture has no engines row');
  engines.entries = engines.entries.map((e, i) =>
    i >= 4 && i < 4 + turned ? { ...e, category: 'malicious' as const, detail: `${detail}.${i}` } : e,
  );
  engines.verdict = 'malicious';
  const now = { ...clean, verdict: 'malicious' as const };
  return { ...now, drift: driftOf(now, baseline) };
}

/** `r` as file `n`, with hashes of its own. */
function distinct(r: Judged, n: number): Judged {
  const hex = n.toString(16).padStart(8, '0');
  return {
    ...structuredClone(r),
    target: {
      ...r.target,
      path: `dist/file-${n}.bin`,
      md5: hex.repeat(4),
      sha1: hex.repeat(5),
      sha256: hex.repeat(8),
    },
  };
}

describe('drift in the renderers', () => {
  it('the single-file table lists five changes, worst first, and counts the rest; --all lists them all', () => {
    const result = turned(7);
    expect(result.drift?.changes).toHaveLength(8);
    const compact = RENDERERS.table([result], context(100));
    expect(compact).toContain(
      'drift    worse than the baseline (was clean, now malicious): 8 new detections\n' +
        '         Engines: clean → malicious\n' +
        '         Engines · Undet1: undetected → Trojan.Gen.4\n',
    );
    expect(compact).toContain('         … and 3 more (--all lists them)\n');
    const all = RENDERERS.table([result], context(100, true));
    expect(all).toContain('Engines · Undet7: undetected → Trojan.Gen.10');
    expect(all).not.toContain('--all lists them)\n         ');
  });

  it('the table makes vendor text terminal-safe and wraps drift lines to the width', () => {
    const result = turned(1, `Evil\u001b[2J\u202e${'x'.repeat(120)}`);
    const table = RENDERERS.table([result], context(80));
    expect(table).not.toContain('\u001b');
    expect(table).not.toContain('\u202e');
    // A URL is never broken (README): it may stand alone on a longer line; nothing else may.
    const overwide = table.split('\n').filter((l) => [...l].length > 80 && !/^https?:\/\/\S+$/.test(l));
    expect(overwide).toEqual([]);
    expect(table).toContain('Engines · Undet1: undetected →\n');
    expect(table).toContain(' Evil\\u001b[2J\\u202exxx');
  });

  it('the batch table sums up and names each changed file, worse first, ten at most', () => {
    const results = [
      ...Array.from({ length: 12 }, () => turned(1)),
      { ...fixtureReport()[0], drift: driftOf(fixtureReport()[0] as Judged, baseline) } as Judged,
    ];
    const text = RENDERERS.table(results, context(120));
    expect(text).toContain('drift since the baseline: 12 worse, 0 changed otherwise\n');
    // The name's line break shown escaped, as everywhere on the terminal.
    expect(text).toContain('  dist/two\\nlines & <b>.txt: Engines: clean → malicious, +1 more\n');
    expect(text).toContain('  … and 2 more targets changed (--json: drift)\n');
  });

  it('Markdown escapes vendor text in the drift table and keeps within its budget', () => {
    const hostile = turned(1, '|<script>alert(1)</script>`');
    const text = renderMarkdown([hostile], { names: NAMES });
    expect(text).toContain('### Drift since the baseline');
    expect(text).toContain('\\|\\<script\\>alert(1)\\</script\\>\\`');
    expect(text).not.toMatch(/[^\\]<script/);
    // Thousands of changes: rows go in whole while they fit, and a note says the rest are in the JSON.
    const files = Array.from({ length: 400 }, (_, i) => distinct(fixtureReport()[2] as Judged, i));
    const many = files.map((then) => {
      const now = structuredClone(then);
      for (const e of now.services[0]?.entries ?? [])
        Object.assign(e, { category: 'malicious', detail: 'W'.repeat(60) });
      return {
        ...now,
        drift: driftOf(now, indexBaseline({ schemaVersion: SCHEMA_VERSION, results: files })),
      };
    });
    expect(many[0]?.drift?.changes.length).toBeGreaterThan(10);
    const big = renderMarkdown(many, { names: NAMES });
    expect(big.length).toBeLessThan(MARKDOWN_BUDGET);
    expect(big).toMatch(/…and \d+ more changes not listed: the `drift` of each target in `--format json`\./);
  });

  it('SARIF: one valid ti-check/new-detection result per new detection; hash-only targets get a logical location', () => {
    const result = turned(2);
    const hashOnly = { ...result, target: { ...result.target, path: null } };
    const log = JSON.parse(renderSarif([result, hashOnly], { names: NAMES }));
    expect(sarifErrors(log)).toEqual([]);
    const rules = log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    expect(rules).toEqual(['ti-check/malicious', 'ti-check/suspicious', 'ti-check/new-detection']);
    const fresh = log.runs[0].results.filter(
      (r: { ruleId: string }) => r.ruleId === 'ti-check/new-detection',
    );
    expect(fresh).toHaveLength(6);
    expect(fresh[1]).toMatchObject({
      ruleIndex: 2,
      level: 'error',
      message: {
        text: 'dist/two\nlines & <b>.txt: new since the baseline: Engines · Undet1: undetected → Trojan.Gen.4.',
      },
      partialFingerprints: { 'tiCheckDetection/v1': 'engines/Undet1/Trojan.Gen.4' },
    });
    expect(fresh[5].locations[0].logicalLocations[0].fullyQualifiedName).toBe(`hash:${result.target.sha256}`);
    // Without drift the rules stay as they were.
    const plain = JSON.parse(renderSarif(fixtureReport(), { names: NAMES }));
    expect(plain.runs[0].tool.driver.rules).toHaveLength(2);
  });
});
