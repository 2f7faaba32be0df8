import { type LoadedConfig, loadConfig } from '../config/load.js';
import { serviceNames } from '../config/service-names.js';
import type { ServiceDefinition } from '../services/types.js';
import type { CliIo } from './io.js';

/** The config every command reads: `--config <path>` or the search from the working directory. */
export function loadCliConfig(
  path: string | undefined,
  io: CliIo,
  registry: readonly ServiceDefinition[],
): Promise<LoadedConfig> {
  return loadConfig({
    path,
    cwd: io.cwd,
    env: io.env,
    serviceIds: registry.map((s) => s.id),
    names: serviceNames(registry),
  });
}
