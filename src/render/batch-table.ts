/** The batch report: one row per target (name, verdict, one short cell per service) and a summary. Pure. */
import type { ServiceResult, TargetResult } from '../normalize/model.js';
import { type ServiceNames, targetName } from './common.js';
import type { Styler } from './styler.js';

export interface BatchTableOptions {
  styler: Styler;
  names: ServiceNames;
  width: number;
}

const CELL_WIDTH = 12;
const VERDICT_WIDTH = 11;

/** The target's name (made terminal-safe with everything else by the table format: render/index.ts). */
function rowName(result: TargetResult): string {
  return targetName(result.target);
}

/** The short per-service cell: detections for engines, else the service's verdict or status. */
export function serviceCell(service: ServiceResult): string {
  if (service.status === 'found') {
    if (service.stats) return `${service.stats.malicious}/${service.stats.total}`;
    return service.verdict ?? 'found';
  }
  if (service.status === 'not_found') return '-';
  // The code alone fits the cell (and it is red); the message is in the JSON and the per-file table.
  if (service.status === 'error') return service.error?.code ?? 'error';
  return service.hint?.startsWith('skipped') ? 'skipped' : service.status === 'disabled' ? 'off' : 'n/a';
}

export function renderBatchTable(results: readonly TargetResult[], options: BatchTableOptions): string {
  const { styler } = options;
  const ids = results.find((r) => r.services.length > 0)?.services.map((s) => s.service) ?? [];
  const names = results.map(rowName);
  const cellsWidth = ids.length * (CELL_WIDTH + 1) + VERDICT_WIDTH + 1;
  const nameWidth = Math.max(
    12,
    Math.min(Math.max(...names.map((n) => n.length), 6), options.width - cellsWidth),
  );
  const pad = (text: string, width: number) =>
    text.length > width ? `…${text.slice(-(width - 1))}` : text.padEnd(width);
  const head = [
    pad('target', nameWidth),
    pad('verdict', VERDICT_WIDTH),
    ...ids.map((id) => pad(options.names[id] ?? id, CELL_WIDTH)),
  ];
  const lines = [styler.bold(head.join(' ').trimEnd())];
  results.forEach((result, i) => {
    const verdict = result.error ? 'error' : result.allowList ? 'allowed' : result.verdict;
    const cells = result.error
      ? [result.error.message]
      : result.services.map((s) => styler.status(s.status, pad(serviceCell(s), CELL_WIDTH)));
    lines.push(
      [
        pad(names[i] ?? '', nameWidth),
        styler.verdict(result.error ? null : result.verdict, pad(verdict.toUpperCase(), VERDICT_WIDTH)),
        ...cells,
      ]
        .join(' ')
        .trimEnd(),
    );
  });
  lines.push('', summaryLine(results));
  return `${lines.join('\n')}\n`;
}

export function summaryLine(results: readonly TargetResult[]): string {
  const counts = new Map<string, number>();
  for (const result of results) {
    const key = result.error ? 'unreadable' : result.allowList ? 'allow-listed' : result.verdict;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const order = ['malicious', 'suspicious', 'clean', 'undetected', 'unknown', 'allow-listed', 'unreadable'];
  const parts = order.filter((k) => counts.has(k)).map((k) => `${counts.get(k)} ${k}`);
  const cached = results.flatMap((r) => r.services).filter((s) => s.cached).length;
  return `${results.length} targets: ${parts.join(', ')}${cached > 0 ? ` · ${cached} answers from the cache` : ''}`;
}
