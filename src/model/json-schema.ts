/** The published JSON Schema of the report (`schemas/report.schema.json`), generated from the zod model. */
import { z } from 'zod';
import { reportSchema, SCHEMA_VERSION } from './report.js';

export function reportJsonSchema(): Record<string, unknown> {
  // `input`: objects stay open, as the contract allows extra fields in later minor versions.
  const { $schema, ...schema } = z.toJSONSchema(reportSchema, { target: 'draft-2020-12', io: 'input' });
  return {
    $schema,
    // The $comment still names the model's former path, src/normalize/model.ts: the published schema
    // stays byte-identical until the next schemaVersion changes it anyway.
    $comment: `ti-check report, schemaVersion ${SCHEMA_VERSION}. Generated from src/normalize/model.ts by npm run schema; do not edit.`,
    ...schema,
  };
}

/** The file as committed: stable key order, two-space indent, trailing newline. */
export function reportJsonSchemaText(): string {
  return `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
}
