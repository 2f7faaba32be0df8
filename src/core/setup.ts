/**
 * What every command that asks services (and the library API) starts from: the config, the plugin
 * services it and the user's config folder bring, and the registry they make with the built-ins.
 * The config is read first (it lists plugins), the plugins loaded, then the config's service names
 * resolved against the whole registry (it may configure a plugin) and the environment laid over.
 */
import { dirname, join, resolve } from 'node:path';
import { userConfigDir } from '../config/config-dir.js';
import { envReference } from '../config/env-refs.js';
import { finishConfig, type LoadedConfig, readConfigFile } from '../config/load.js';
import { serviceNames } from '../config/service-names.js';
import { redact } from '../http/redact.js';
import type { ServiceDefinition } from '../services/types.js';
import { loadPlugins } from './plugins.js';

export interface SetupOptions {
  /** `--config <path>`: this file instead of the search. */
  path?: string;
  /** A config object instead of a file (the library API). */
  inline?: unknown;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The built-in services. */
  builtIn: readonly ServiceDefinition[];
  /** false: no plugins at all (default: the config folder's and the config's). */
  plugins?: boolean;
  /**
   * Called with the names of the environment variables that hold keys (`TI_CHECK_*_KEY` and every
   * `${NAME}` the config refers to), before any plugin is imported: the CLI takes them out of
   * process.env, so that plugin code finds no key there but the one ti-check hands it.
   */
  onKeyVariables?: (names: readonly string[]) => void;
}

export interface Setup extends LoadedConfig {
  /** The built-ins, then the plugins that loaded. */
  registry: readonly ServiceDefinition[];
  /** Plugins left out, settings left unused: one line each, for stderr (the CLI) or `onWarning`. */
  warnings: string[];
}

/** Where a user drops plugin files. */
export function pluginDir(env: NodeJS.ProcessEnv): string {
  return join(userConfigDir(env), 'services');
}

export async function loadSetup(options: SetupOptions): Promise<Setup> {
  const read = await readConfigFile(options);
  const warnings: string[] = [];
  let plugins: ServiceDefinition[] = [];
  const keyNames = keyVariables(read.config.services, read.config.cache?.url, options.env);
  options.onKeyVariables?.(keyNames);
  if (options.plugins !== false) {
    const base = read.filepath ? dirname(read.filepath) : options.cwd;
    // Whatever a broken plugin's error says is printed: every key this run knows is masked in it,
    // the config's literal ones and the values of every key variable (a `${NAME}` one included).
    const keys = [
      ...Object.values(read.config.services).map((s) => s.apiKey),
      ...keyNames.map((name) => options.env[name]),
    ];
    const loaded = await loadPlugins(
      { dir: pluginDir(options.env), listed: (read.config.plugins ?? []).map((p) => resolve(base, p)) },
      options.builtIn,
      (text) => redact(text, keys),
    );
    plugins = loaded.services;
    warnings.push(...loaded.problems);
  }
  const registry = [...options.builtIn, ...plugins];
  const config = finishConfig(read, {
    env: options.env,
    serviceIds: registry.map((s) => s.id),
    names: serviceNames(registry),
    // A plugin that did not load leaves its settings unused, not the run stopped.
    onUnknownService: warnings.length > 0 ? (message) => warnings.push(message) : undefined,
  });
  return { ...config, registry, warnings };
}

/** Variables that hold secrets: every key, and the shared cache's URL (it may carry a password). */
function keyVariables(
  services: Record<string, { apiKey?: string }>,
  cacheUrl: string | undefined,
  env: NodeJS.ProcessEnv,
): string[] {
  const names = new Set(
    Object.keys(env).filter((name) => /^TI_CHECK_.*_KEY$/i.test(name) || name === 'TI_CHECK_CACHE_URL'),
  );
  for (const value of [...Object.values(services).map((s) => s.apiKey), cacheUrl]) {
    const name = value === undefined ? undefined : envReference(value);
    if (name !== undefined) names.add(name);
  }
  return [...names];
}
