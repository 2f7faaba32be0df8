import type { Report, ReportTargetResult } from '../model/report.js';
import { SCHEMA_VERSION } from '../model/report-values.js';

export function toReport(results: readonly ReportTargetResult[]): Report {
  return { schemaVersion: SCHEMA_VERSION, results: [...results] };
}

/** The machine report: one JSON document, nothing else on stdout. */
export function renderJson(results: readonly ReportTargetResult[]): string {
  return `${JSON.stringify(toReport(results), null, 2)}\n`;
}

/**
 * One target result per line (JSON Lines), each valid against `#/$defs/TargetResult`; batch runs
 * write each line as soon as its target is complete.
 */
export function renderNdjsonLine(result: ReportTargetResult): string {
  return `${JSON.stringify(result)}\n`;
}

export function renderNdjson(results: readonly ReportTargetResult[]): string {
  return results.map(renderNdjsonLine).join('');
}
