import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportJsonSchemaText } from '../../src/model/json-schema.js';
import { reportErrors } from '../helpers/report-schema.js';

describe('schemas/report.schema.json', () => {
  it('is up to date with the zod model (run `npm run schema` after changing src/normalize/model.ts)', () => {
    const committed = readFileSync(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8');
    expect(committed).toEqual(reportJsonSchemaText());
  });
  it('rejects what breaks the contract', () => {
    expect(reportErrors({ schemaVersion: 2, results: [] })).not.toEqual([]);
    expect(reportErrors({ schemaVersion: 1, results: [{ target: {}, verdict: 'bad' }] })).not.toEqual([]);
    expect(reportErrors({ schemaVersion: 1, results: [], extra: 'allowed' })).toEqual([]);
  });
});
