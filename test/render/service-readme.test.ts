import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogueRows } from '../../src/core/catalogue.js';
import type { CatalogueRow } from '../../src/model/catalogue.js';
import { DEFAULT_POLICY } from '../../src/model/policy.js';
import { describeRate, renderServiceHeader, withServiceHeader } from '../../src/render/service-readme.js';
import { SERVICES } from '../../src/services/index.js';

const rows = catalogueRows(SERVICES, { services: {}, policy: DEFAULT_POLICY, timeout: 20 });

function row(overrides: Partial<CatalogueRow> = {}): CatalogueRow {
  return {
    id: 'acme',
    aliases: [],
    name: 'Acme',
    kind: 'reputation',
    key: 'required',
    ready: true,
    readyNote: null,
    hashTypes: ['sha256', 'md5'],
    rateLimit: {
      requests: 4,
      perSeconds: 60,
      daily: null,
      source: 'https://acme.test/limits',
      basis: 'documented',
    },
    requestsPerLookup: 1,
    docs: 'https://acme.test/docs',
    signup: 'https://acme.test/signup',
    plugin: null,
    ...overrides,
  };
}

describe('service README headers', () => {
  it.each(rows.map((r) => [r.id, r] as const))(
    "src/services/%s/README.md's header matches its definition (npm run docs rewrites it)",
    (id, r) => {
      const readme = readFileSync(new URL(`../../src/services/${id}/README.md`, import.meta.url), 'utf8');
      expect(withServiceHeader(readme, r)).toBe(readme);
    },
  );

  it('says whose rate limit it is: the vendor’s, ours, or the vendor’s daily cap with our pace', () => {
    expect(renderServiceHeader(row())).toContain(
      "- **Rate limit:** 4 requests a minute, the vendor's published limit (<https://acme.test/limits>).",
    );
    const ours = row({
      rateLimit: { ...row().rateLimit, basis: 'conservative', perSeconds: 2, requests: 1 },
    });
    expect(renderServiceHeader(ours)).toContain(
      '1 request every 2 seconds, a conservative default of ours: the vendor publishes no figure',
    );
    const mixed = row({ rateLimit: { ...row().rateLimit, basis: 'documented-daily', daily: 1337 } });
    expect(renderServiceHeader(mixed)).toContain(
      "4 requests a minute and 1,337 a day, the daily cap is the vendor's published figure (<https://acme.test/limits>), the pace within it a conservative choice of ours.",
    );
  });

  it('names the key’s environment variable and config key, and the sign-up page; none for keyless services', () => {
    expect(renderServiceHeader(row())).toContain(
      '- **Key:** required: `TI_CHECK_ACME_KEY` (or `services.acme.apiKey` in the config); get one at <https://acme.test/signup>.',
    );
    expect(renderServiceHeader(row({ key: 'none', signup: null }))).toContain('- **Key:** none needed.');
    expect(renderServiceHeader(row({ key: 'optional' }))).toContain(
      '- **Key:** optional, raises the limits:',
    );
    expect(renderServiceHeader(row({ requestsPerLookup: 3 }))).toContain('A lookup makes up to 3 requests.');
  });

  it('rates read as a person says them', () => {
    expect(describeRate(1, 1)).toBe('1 request a second');
    expect(describeRate(60, 3600)).toBe('60 requests an hour');
    expect(describeRate(1000, 86400)).toBe('1,000 requests a day');
    expect(describeRate(6, 90)).toBe('6 requests every 90 seconds');
  });

  it('leaves a README without header markers alone', () => {
    expect(withServiceHeader('# no markers\n', row())).toBeUndefined();
  });
});
