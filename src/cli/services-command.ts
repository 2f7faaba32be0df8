/** `ti-check services [--json]`: what ti-check can ask, and what this machine is set up for. */
import { catalogueRows } from '../core/catalogue.js';
import { renderCatalogueJson, renderCatalogueTable } from '../render/catalogue.js';
import { createStyler } from '../render/styler.js';
import type { ServiceDefinition } from '../services/types.js';
import { loadCliConfig } from './config.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

export const SERVICES_OPTIONS = {
  json: { type: 'boolean', default: false, describe: 'print the catalogue as JSON' },
} as const;

export async function runServices(
  args: { json: boolean; config?: string },
  io: CliIo,
  builtIn: readonly ServiceDefinition[],
): Promise<number> {
  const { config, registry } = await loadCliConfig(args.config, io, builtIn);
  const rows = catalogueRows(registry, config);
  const styler = createStyler({ isTTY: io.stdout.isTTY === true, env: io.env });
  io.stdout.write(
    args.json ? renderCatalogueJson(rows) : renderCatalogueTable(rows, styler, io.stdout.columns ?? 100),
  );
  return EXIT.ok;
}
