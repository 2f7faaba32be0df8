/**
 * The renderers, one per format (src/render/formats.ts names the formats). Each is pure: (judged
 * results, context) → text. Imported once the report is ready (`loadRenderer`), not at start-up.
 */
import { renderBatchTable } from './batch-table.js';
import { renderCsv } from './csv.js';
import type { Format, Renderer } from './formats.js';
import { renderHtml } from './html.js';
import { renderJson, renderNdjson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';
import { terminalSafeDeep } from './terminal-text.js';

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
} satisfies Record<Format, Renderer>;
