/**
 * Output formats. Each renderer is pure: (results, context) → text. The CLI picks one by name;
 * adding a format touches this table and its own module, not the CLI.
 */
import type { TargetResult } from '../normalize/model.js';
import { renderBatchTable } from './batch-table.js';
import { renderJson } from './json.js';
import { renderNdjson, renderNdjsonLine } from './ndjson.js';
import type { Styler } from './styler.js';
import { renderTable } from './table.js';

export interface RenderContext {
  styler: Styler;
  /** Service id → display name. */
  names: Readonly<Record<string, string>>;
  width: number;
  showAll: boolean;
}

export type Renderer = (results: readonly TargetResult[], context: RenderContext) => string;

export const RENDERERS = {
  // A batch (more than one target) gets one row per target instead of one grid per file.
  table: (results, context) =>
    results.length > 1 ? renderBatchTable(results, context) : renderTable(results, context),
  json: (results) => renderJson(results),
  ndjson: (results) => renderNdjson(results),
} satisfies Record<string, Renderer>;

/** Formats written one target at a time, as each completes, instead of once at the end. */
export const STREAMING_RENDERERS: Partial<Record<Format, (result: TargetResult) => string>> = {
  ndjson: renderNdjsonLine,
};

export type Format = keyof typeof RENDERERS;
export const FORMATS = Object.keys(RENDERERS) as Format[];
