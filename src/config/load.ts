/**
 * Finds, reads and validates the config, then lays the environment over it.
 * Search order (cosmiconfig, module name `ti-check`; ./config-file.ts): the working directory up to
 * the home directory (`.ti-checkrc`, `.ti-checkrc.json|yaml`, `ti-check.config.js|mjs|cjs`,
 * `package.json#ti-check`), then `$XDG_CONFIG_HOME/ti-check/config[.json|.yaml]`.
 */
import { homedir } from 'node:os';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { safeParse } from '../model/safe-parse.js';
import { userConfigDir } from './config-dir.js';
import { defaultConfig } from './defaults.js';
import { resolveKeyReferences } from './env-refs.js';
import { baseUrlProblem } from './rules.js';
import type { Config } from './schema.js';
import { mayHoldConfig, type SearchFolders } from './search-places.js';
import { type ServiceNames, serviceNames } from './service-names.js';

export interface ReadConfigOptions {
  /** `--config <path>`: read exactly this file instead of searching. */
  path?: string;
  /** A config given as an object (the library API): checked the same way, no file read. */
  inline?: unknown;
  cwd: string;
}

export interface LoadConfigOptions extends ReadConfigOptions {
  env: NodeJS.ProcessEnv;
  /** Valid service ids: a config that names another one is a mistake worth reporting. */
  serviceIds: readonly string[];
  /** The ids and their aliases (default: the ids alone). */
  names?: ServiceNames;
}

export interface LoadedConfig {
  config: Config;
  /** The file it came from, or null when none was found. */
  filepath: string | null;
  /** Services whose API key the file holds literally (not as a `${VAR}` reference). */
  literalKeys: string[];
}

/** A config file found and checked against the schema; its service names not resolved yet. */
export interface ReadConfig extends Omit<LoadedConfig, 'literalKeys'> {
  /** Where messages say it came from: the file, or `config`. */
  where: string;
}

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  return finishConfig(await readConfigFile(options), options);
}

/**
 * The first half of `loadConfig`: the file found, read and checked against the schema. Plugin
 * services are loaded between the two halves: the config names them, and may configure them.
 */
export async function readConfigFile(options: ReadConfigOptions): Promise<ReadConfig> {
  const found =
    options.inline !== undefined
      ? { config: options.inline, filepath: '' }
      : options.path || mayHoldConfig(searchFolders(options.cwd))
        ? await (await import('./config-file.js')).readConfigSource(options)
        : null;
  // No config file: the defaults, with no schema built (./defaults.ts).
  if (!found) return { config: defaultConfig(), filepath: null, where: 'config' };
  const where = found.filepath || 'config';
  const { configSchema } = await import('./schema.js');
  const parsed = safeParse(configSchema, found.config ?? {});
  if (!parsed.success) throw new ConfigError(`${where}: ${describeIssues(parsed.error)}`);
  return { config: parsed.data, filepath: found.filepath || null, where };
}

/** The folders cosmiconfig's search reads (its home folder and config folder from process.env, as env-paths). */
function searchFolders(cwd: string): SearchFolders {
  return { cwd, stopDir: homedir(), processCwd: process.cwd(), userConfigDir: userConfigDir(process.env) };
}

/** The second half: service names resolved against the registry, then the environment laid over. */
export function finishConfig(
  read: ReadConfig,
  options: Pick<LoadConfigOptions, 'env' | 'serviceIds' | 'names'> & {
    /**
     * `services.<name>` that names no service: an error unless this is given, when it is left out
     * and this says so (a plugin that failed to load must not stop the other services).
     */
    onUnknownService?(message: string): void;
  },
): LoadedConfig {
  const names = options.names ?? serviceNames(options.serviceIds.map((id) => ({ id })));
  const keys = resolveKeyReferences(
    canonicalServices(read.config.services, names, read.where, options.onUnknownService),
    options.env,
    read.where,
  );
  const config = { ...read.config, services: keys.services };
  return {
    config: applyEnv(config, options.env, options.serviceIds),
    filepath: read.filepath,
    literalKeys: keys.literalKeys,
  };
}

/** `services: { VT: … }` is `services.virustotal`; a name that is no service is a mistake worth reporting. */
function canonicalServices(
  services: Config['services'],
  names: ServiceNames,
  where: string,
  onUnknown?: (message: string) => void,
): Config['services'] {
  const byId: Config['services'] = {};
  const keyOf = new Map<string, string>();
  for (const [key, settings] of Object.entries(services)) {
    const id = names.resolve(key);
    if (!id && onUnknown) {
      onUnknown(`${where}: services.${key}: unknown service, ignored (its plugin did not load)`);
      continue;
    }
    if (!id) throw new ConfigError(`${where}: services.${key}: unknown service (${names.hint(key)})`);
    const earlier = keyOf.get(id);
    if (earlier !== undefined) {
      throw new ConfigError(`${where}: services.${earlier} and services.${key} are both ${id}: keep one`);
    }
    keyOf.set(id, key);
    byId[id] = settings;
  }
  return byId;
}

/** `TI_CHECK_<ID>_KEY` and `TI_CHECK_<ID>_URL` win over the file. */
export function applyEnv(config: Config, env: NodeJS.ProcessEnv, serviceIds: readonly string[]): Config {
  const services = { ...config.services };
  for (const id of serviceIds) {
    const stem = `TI_CHECK_${id.toUpperCase()}`;
    const apiKey = env[`${stem}_KEY`]?.trim();
    const baseUrl = env[`${stem}_URL`]?.trim();
    const problem = baseUrl ? baseUrlProblem(baseUrl) : undefined;
    if (problem) {
      // Echoed without anything that looks like user:password@.
      throw new ConfigError(`${stem}_URL: ${problem}, got "${baseUrl?.replace(/\/\/[^/]*@/, '//…@')}"`);
    }
    if (!apiKey && !baseUrl) continue;
    services[id] = { ...services[id], ...(apiKey ? { apiKey } : {}), ...(baseUrl ? { baseUrl } : {}) };
  }
  return { ...config, services };
}

/** `path.to.key: what was expected`, one issue per clause. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return `${path || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}
