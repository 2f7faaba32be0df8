import type { TargetResult } from '../normalize/model.js';

/** One `results[]` item of the JSON contract per line, written as soon as the target is complete. */
export function renderNdjsonLine(result: TargetResult): string {
  return `${JSON.stringify(result)}\n`;
}

export function renderNdjson(results: readonly TargetResult[]): string {
  return results.map(renderNdjsonLine).join('');
}
