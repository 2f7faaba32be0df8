import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogueRows } from '../../src/core/catalogue.js';
import { DEFAULT_POLICY } from '../../src/model/policy.js';
import { formatRate, renderCatalogueMarkdown } from '../../src/render/catalogue.js';
import { SERVICES } from '../../src/services/index.js';

const README = new URL('../../README.md', import.meta.url);
const START = '<!-- services-table:start -->\n';
const END = '<!-- services-table:end -->';

describe('service catalogue', () => {
  it("README's services table matches the registry (npm run docs rewrites it)", () => {
    const readme = readFileSync(README, 'utf8');
    const table = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END));
    const rows = catalogueRows(SERVICES, { services: {}, policy: DEFAULT_POLICY, timeout: 20 });
    expect(table).toBe(renderCatalogueMarkdown(rows));
  });

  it('formats rate limits per minute, second or window, with a daily cap', () => {
    expect(formatRate({ requests: 4, perSeconds: 60, daily: 500, source: '', basis: 'documented' })).toBe(
      '4/min, 500/day',
    );
    expect(formatRate({ requests: 1, perSeconds: 1, daily: null, source: '', basis: 'documented' })).toBe(
      '1/s',
    );
    expect(formatRate({ requests: 1, perSeconds: 2, daily: null, source: '', basis: 'documented' })).toBe(
      '1/2s',
    );
    expect(formatRate({ requests: 60, perSeconds: 3600, daily: null, source: '', basis: 'documented' })).toBe(
      '60/h',
    );
  });
});
