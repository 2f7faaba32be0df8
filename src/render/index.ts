/**
 * Output formats. The CLI picks one by name; adding a format touches the list in formats.ts, the
 * table in renderers.ts and its own module, not the CLI.
 */
import { loadSoon } from '../load-soon.js';
import type { ReportTargetResult } from '../model/report.js';
import type { Format, Renderer } from './formats.js';
import { renderNdjsonLine } from './json.js';

export { FORMATS, type Format, type Renderer } from './formats.js';

/**
 * The renderer of `format`. The renderers (and cli-table3) are a chunk of their own in the CLI
 * bundle, loaded when the report is written: start-up does not compile them.
 */
export async function loadRenderer(format: Format): Promise<Renderer> {
  return (await importRenderers()).RENDERERS[format];
}

const importRenderers = () => import('./renderers.js');

/**
 * Starts loading the renderers without waiting, so that their chunk is compiled while the run waits
 * on the network rather than after the answers. Called as the lookups start, it loads through
 * `loadSoon` (../load-soon.ts): after the requests went out, not before them. A failure here is left
 * to `loadRenderer`, which reports it.
 */
export function preloadRenderers(): void {
  loadSoon(importRenderers).catch(() => {});
}

/** Formats written one target at a time, as each completes, instead of once at the end. */
export const STREAMING_RENDERERS: Partial<Record<Format, (result: ReportTargetResult) => string>> = {
  ndjson: renderNdjsonLine,
};
