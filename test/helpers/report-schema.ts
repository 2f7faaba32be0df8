/** Validators for what ti-check prints: the published report schema and the official SARIF 2.1.0 schema. */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));

const reportAjv = new Ajv2020.default({ allErrors: true, strict: true });
const reportSchema = read('../../schemas/report.schema.json');
const validateReport = reportAjv.compile(reportSchema);
const validateLine = reportAjv.compile({ $ref: '#/$defs/TargetResult', $defs: reportSchema.$defs });

const sarifAjv = new AjvDraft04.default({ allErrors: true, strict: false });
addFormats.default(sarifAjv);
const validateSarifLog = sarifAjv.compile(read('../../fixtures/sarif/sarif-schema-2.1.0.json'));

function check(validate: { (data: unknown): boolean; errors?: unknown }, data: unknown): string[] {
  return validate(data) ? [] : [JSON.stringify(validate.errors, null, 1)];
}

/** Schema errors of a `--format json` document (empty when valid). */
export const reportErrors = (report: unknown) => check(validateReport, report);
/** Schema errors of every line of a `--format ndjson` stream. */
export const ndjsonErrors = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => check(validateLine, JSON.parse(line)));
/** Errors against the official OASIS SARIF 2.1.0 schema. */
export const sarifErrors = (log: unknown) => check(validateSarifLog, log);
