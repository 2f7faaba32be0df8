/**
 * Output formats. Each renderer is pure: (judged results, context) → text. The CLI picks one by name;
 * adding a format touches this table and its own module, not the CLI.
 */
import type { ReportTargetResult } from '../model/report.js';
import { renderBatchTable } from './batch-table.js';
import type { RenderContext } from './context.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson, renderNdjson, renderNdjsonLine } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';
import { terminalSafeDeep } from './terminal-text.js';

export type Renderer = (results: readonly ReportTargetResult[], context: RenderContext) => string;

export const RENDERERS = {
  // A batch (more than one target) gets one row per target instead of one grid per file.
  // The one format written raw to a terminal: every outside string is made safe first, once.
  table: (results, context) => {
    const safe = terminalSafeDeep(results);
    const names = terminalSafeDeep(context.names);
    // One grid per file for a single target; a run --only-flagged cut down keeps its batch layout.
    return safe.length + (context.hidden ?? 0) > 1
      ? renderBatchTable(safe, { ...context, names })
      : renderTable(safe, { ...context, names });
  },
  json: (results) => renderJson(results),
  ndjson: (results) => renderNdjson(results),
  csv: (results) => renderCsv(results),
  sarif: (results, context) => renderSarif(results, context),
  markdown: (results, context) => renderMarkdown(results, context),
  html: (results, context) => renderHtml(results, context),
} satisfies Record<string, Renderer>;

/** Formats written one target at a time, as each completes, instead of once at the end. */
export const STREAMING_RENDERERS: Partial<Record<Format, (result: ReportTargetResult) => string>> = {
  ndjson: renderNdjsonLine,
};

export type Format = keyof typeof RENDERERS;
export const FORMATS = Object.keys(RENDERERS) as Format[];
