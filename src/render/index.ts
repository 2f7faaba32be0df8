/**
 * Output formats. Each renderer is pure: (results, context) → text. The CLI picks one by name;
 * adding a format touches this table and its own module, not the CLI.
 */
import type { TargetResult } from '../normalize/model.js';
import { renderJson } from './json.js';
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
  table: (results, context) => renderTable(results, context),
  json: (results) => renderJson(results),
} satisfies Record<string, Renderer>;

export type Format = keyof typeof RENDERERS;
export const FORMATS = Object.keys(RENDERERS) as Format[];
