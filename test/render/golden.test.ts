import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RenderContext } from '../../src/render/context.js';
import type { Format } from '../../src/render/index.js';
import { RENDERERS } from '../../src/render/renderers.js';
import { plainStyler } from '../../src/render/styler.js';
import { fixtureReport, NAMES } from '../helpers/report-fixture.js';
import { ndjsonErrors, reportErrors, sarifErrors } from '../helpers/report-schema.js';

const EXTENSIONS: Record<Format, string> = {
  table: 'txt',
  json: 'json',
  ndjson: 'ndjson',
  csv: 'csv',
  sarif: 'sarif',
  markdown: 'md',
  html: 'html',
};
const context: RenderContext = {
  styler: plainStyler,
  names: NAMES,
  width: 100,
  showAll: false,
  hyperlinks: false,
};
const render = (format: Format) => RENDERERS[format](fixtureReport(), context);

// UPDATE_GOLDEN=1 npx vitest run test/render/golden.test.ts rewrites them; review the diff.
describe('every format on the same fixture run matches its golden file', () => {
  for (const [format, extension] of Object.entries(EXTENSIONS) as [Format, string][]) {
    it(format, () => {
      const url = new URL(`../golden/report.${extension}`, import.meta.url);
      const text = render(format);
      if (process.env.UPDATE_GOLDEN) writeFileSync(url, text);
      // A missing golden file fails: written silently, it would prove nothing.
      if (!existsSync(url))
        throw new Error(`${url.pathname} is missing: UPDATE_GOLDEN=1 writes it; review it`);
      expect(text).toEqual(readFileSync(url, 'utf8'));
    });
  }
});

// One file gets the per-service grid instead of the batch table: compact by default, every row with --all.
describe('the single-target table matches its golden file', () => {
  const variants = { compact: false, all: true } as const;
  for (const [variant, showAll] of Object.entries(variants)) {
    it(variant, () => {
      const url = new URL(`../golden/target-${variant}.txt`, import.meta.url);
      const [malicious] = fixtureReport();
      const text = RENDERERS.table(malicious ? [malicious] : [], { ...context, showAll });
      if (process.env.UPDATE_GOLDEN) writeFileSync(url, text);
      if (!existsSync(url))
        throw new Error(`${url.pathname} is missing: UPDATE_GOLDEN=1 writes it; review it`);
      expect(text).toEqual(readFileSync(url, 'utf8'));
    });
  }
});

describe('machine formats are valid against their schemas', () => {
  it('json matches schemas/report.schema.json', () => {
    expect(reportErrors(JSON.parse(render('json')))).toEqual([]);
  });
  it('every ndjson line matches the TargetResult definition', () => {
    const text = render('ndjson');
    expect(text.trimEnd().split('\n')).toHaveLength(5);
    expect(ndjsonErrors(text)).toEqual([]);
  });
  it('sarif matches the official SARIF 2.1.0 schema', () => {
    expect(sarifErrors(JSON.parse(render('sarif')))).toEqual([]);
  });
});

describe('the validators are not vacuous', () => {
  it('a SARIF log missing required parts fails the official schema', () => {
    const log = JSON.parse(render('sarif'));
    delete log.runs[0].tool;
    log.runs[0].results[0].level = 'fatal';
    expect(sarifErrors(log)).not.toEqual([]);
  });
});
