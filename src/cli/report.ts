/** The output stage: the report rendered to each `-o` file and stdout, and `--open`. */
import type { ReportTargetResult } from '../model/report.js';
import type { RenderContext } from '../render/context.js';
import { supportsHyperlinks } from '../render/hyperlink.js';
import { loadRenderer } from '../render/index.js';
import { createStyler } from '../render/styler.js';
import type { ServiceDefinition } from '../services/types.js';
import type { CliIo } from './io.js';
import { type OutputPlan, writeFileAtomic } from './output-file.js';

const DEFAULT_WIDTH = 120;

/** Each `-o` file written whole (atomically), then stdout if it gets a report. */
export async function writeReport(
  judged: readonly ReportTargetResult[],
  outputs: OutputPlan,
  view: { all: boolean; hidden: number },
  io: CliIo,
  registry: readonly ServiceDefinition[],
): Promise<void> {
  for (const file of outputs.files) {
    const context = { ...renderContext(view.all, io, registry, true), hidden: view.hidden };
    const render = await loadRenderer(file.format);
    await writeFileAtomic(file.path, render(judged, context), io.cwd);
  }
  if (outputs.stdout) {
    const context = { ...renderContext(view.all, io, registry, false), hidden: view.hidden };
    const render = await loadRenderer(outputs.stdout);
    io.stdout.write(render(judged, context));
  }
}

function renderContext(
  showAll: boolean,
  io: CliIo,
  registry: readonly ServiceDefinition[],
  toFile: boolean,
): RenderContext {
  return {
    // A file gets no colour codes unless FORCE_COLOR asks for them.
    styler: createStyler({ isTTY: !toFile && io.stdout.isTTY === true, env: io.env }),
    names: Object.fromEntries(registry.map((s) => [s.id, s.displayName])),
    width: toFile ? DEFAULT_WIDTH : (io.stdout.columns ?? DEFAULT_WIDTH),
    showAll,
    hyperlinks: !toFile && supportsHyperlinks(io.env, io.stdout.isTTY === true),
  };
}

/** `--open` on a directory of 300 samples must not open 900 browser tabs. */
const MAX_PAGES_OPENED = 10;

/**
 * `--open`: the vendor page of every service that knows a reported target. The report is already out
 * and the exit code decided, so a machine with no browser (a server, CI) gets one warning, never an error.
 */
export async function openLinks(found: readonly string[], io: CliIo): Promise<void> {
  const links = [...new Set(found)];
  for (const link of links.slice(0, MAX_PAGES_OPENED)) {
    try {
      await io.openUrl(link);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      io.stderr.write(
        `ti-check: --open: no browser could be started (${reason}); the links are in the report\n`,
      );
      return;
    }
  }
  if (links.length > MAX_PAGES_OPENED) {
    io.stderr.write(
      `ti-check: --open: opened the first ${MAX_PAGES_OPENED} of ${links.length} pages; the others are in the report\n`,
    );
  }
}
