/** The output formats by name, and what a renderer is. */
import type { ReportTargetResult } from '../model/report.js';
import type { RenderContext } from './context.js';

export type Renderer = (results: readonly ReportTargetResult[], context: RenderContext) => string;

export const FORMATS = ['table', 'json', 'ndjson', 'csv', 'sarif', 'markdown', 'html'] as const;
export type Format = (typeof FORMATS)[number];
