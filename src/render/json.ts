import type { Report, TargetResult } from '../normalize/model.js';

export function toReport(results: readonly TargetResult[]): Report {
  return { schemaVersion: 1, results: [...results] };
}

/** The machine report: one JSON document, nothing else on stdout. */
export function renderJson(results: readonly TargetResult[]): string {
  return `${JSON.stringify(toReport(results), null, 2)}\n`;
}
