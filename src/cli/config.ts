import type { LoadedConfig } from '../config/load.js';
import { loadSetup } from '../core/setup.js';
import type { ServiceDefinition } from '../services/types.js';
import { unknownEnvWarnings } from './env-check.js';
import type { CliIo } from './io.js';

export interface CliConfig extends LoadedConfig {
  /** The built-in services, then the plugins that loaded (src/core/plugins.ts). */
  registry: readonly ServiceDefinition[];
}

/**
 * The config every command reads: `--config <path>` or the search from the working directory, with
 * the plugin services it and the user's config folder bring. A plugin left out, and a `TI_CHECK_*`
 * variable no service reads, is one line on stderr each.
 */
export async function loadCliConfig(
  path: string | undefined,
  io: CliIo,
  registry: readonly ServiceDefinition[],
): Promise<CliConfig> {
  const setup = await loadSetup({
    path,
    cwd: io.cwd,
    env: io.env,
    builtIn: registry,
    onKeyVariables: (names) => io.hideVariables?.(names),
  });
  const warnings = [...setup.warnings, ...unknownEnvWarnings(io.env, setup.registry)];
  for (const warning of warnings) io.stderr.write(`ti-check: ${warning}\n`);
  return {
    config: setup.config,
    filepath: setup.filepath,
    literalKeys: setup.literalKeys,
    registry: setup.registry,
  };
}
