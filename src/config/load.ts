/**
 * Finds, reads and validates the config, then lays the environment over it.
 * Search order (cosmiconfig, module name `ti-check`): the working directory up to the home
 * directory (`.ti-checkrc`, `.ti-checkrc.json|yaml`, `ti-check.config.js|mjs|cjs`,
 * `package.json#ti-check`), then `$XDG_CONFIG_HOME/ti-check/config[.json|.yaml]`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type CosmiconfigResult,
  cosmiconfig,
  cosmiconfigSync,
  defaultLoaders,
  getDefaultSearchPlaces,
  type Loader,
  type LoaderSync,
  type PublicExplorer,
} from 'cosmiconfig';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { safeParse } from '../model/safe-parse.js';
import { userConfigDir } from './config-dir.js';
import { defaultConfig } from './defaults.js';
import { resolveKeyReferences } from './env-refs.js';
import { stripJsonComments } from './jsonc.js';
import { baseUrlProblem } from './rules.js';
import type { Config } from './schema.js';
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
  // Made when a file is to be loaded: making one searches for cosmiconfig's own settings too, which
  // a search that finds nothing (most runs) does once already, in the synchronous explorer.
  const explorer = () =>
    cosmiconfig(MODULE_NAME, {
      searchStrategy: 'global',
      loaders: {
        '.js': importConfig,
        '.mjs': importConfig,
        '.cjs': importConfig,
        '.json': loadJsonc,
        '.yaml': loadYaml,
        '.yml': loadYaml,
        noExt: loadYaml,
      },
    });
  let found: { config: unknown; filepath: string } | null;
  try {
    found =
      options.inline !== undefined
        ? { config: options.inline, filepath: '' }
        : options.path
          ? await explorer().load(options.path)
          : await searchConfig(explorer, options.cwd);
  } catch (cause) {
    const { file = options.path, reason } = whyUnreadable(cause);
    throw new ConfigError(`cannot read config${file ? ` ${file}` : ''}: ${reason}`, { cause });
  }
  // No config file: the defaults, with no schema built (./defaults.ts).
  if (!found) return { config: defaultConfig(), filepath: null, where: 'config' };
  const where = found.filepath || 'config';
  const { configSchema } = await import('./schema.js');
  const parsed = safeParse(configSchema, found.config ?? {});
  if (!parsed.success) throw new ConfigError(`${where}: ${describeIssues(parsed.error)}`);
  return { config: parsed.data, filepath: found.filepath || null, where };
}

const MODULE_NAME = 'ti-check';

/**
 * cosmiconfig's search, with its file probes made synchronously. Asynchronously each of them (some
 * 17 a folder, from the working directory up to the home folder, then the user's config folder) is
 * a trip through libuv's thread pool, one after another: ~15–20 ms of a lookup's start-up.
 *
 * cosmiconfig's synchronous explorer walks the same folders and names in the same order, and here
 * only locates the file: its loaders answer "found" without parsing, but for JSON, which
 * package.json needs (`package.json#ti-check`, or on to the next name). The file found is then
 * loaded by the asynchronous explorer, with the loaders and messages of the search it stands in for.
 * Where the two could differ, that search runs after all: a file that loads as empty (the search
 * goes on past it), and a `config.mjs` in the user's config folder (where the synchronous explorer
 * does not look for `.mjs`).
 */
async function searchConfig(explorer: () => PublicExplorer, cwd: string): Promise<CosmiconfigResult> {
  const found: LoaderSync = () => ({ found: true });
  const locator = cosmiconfigSync(MODULE_NAME, {
    searchStrategy: 'global',
    searchPlaces: getDefaultSearchPlaces(MODULE_NAME),
    cache: false,
    loaders: {
      '.js': found,
      '.mjs': found,
      '.cjs': found,
      '.ts': found,
      '.json': loadJsonc,
      '.yaml': found,
      '.yml': found,
      noExt: found,
    },
  });
  const located = locator.search(cwd);
  if (!located) {
    const unseen = existsSync(join(userConfigDir(process.env), 'config.mjs'));
    return unseen ? explorer().search(cwd) : null;
  }
  const loading = explorer();
  const loaded = await loading.load(located.filepath);
  return loaded && !loaded.isEmpty ? loaded : loading.search(cwd);
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

/** JSON with `//` and `/* *\/` comments (src/config/jsonc.ts); cosmiconfig's parser and messages otherwise. */
const loadJsonc: LoaderSync = (filepath, content) =>
  defaultLoaders['.json'](filepath, stripJsonComments(content));

/**
 * YAML (`.yaml`, `.yml`, and `.ti-checkrc`), read as cosmiconfig's own loader reads it, with the
 * same message on a syntax error. js-yaml is imported only when such a file is found: the CLI
 * bundle keeps it out of what every start-up compiles (scripts/bundle.mjs).
 */
const loadYaml: Loader = async (filepath, content) => {
  const { load } = await import('js-yaml');
  try {
    return load(content);
  } catch (error) {
    if (error instanceof Error) error.message = `YAML Error in ${filepath}:\n${error.message}`;
    throw error;
  }
};

/**
 * JavaScript configs are imported, whatever their module kind. cosmiconfig's own loader falls back
 * to require() when import() fails, and on Node 20 a syntax error in an .mjs file then surfaces as
 * a misleading "Cannot require() ES Module … not yet fully loaded".
 */
const importConfig: Loader = async (filepath) => {
  try {
    return ((await import(pathToFileURL(filepath).href)) as { default?: unknown }).default;
  } catch (error) {
    // Node's SyntaxError does not name the file.
    throw new ConfigFileError(
      filepath,
      error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    );
  }
};

class ConfigFileError extends Error {
  constructor(
    readonly filepath: string,
    readonly reason: string,
  ) {
    super(`${filepath}: ${reason}`);
  }
}

/** Which file (when the error says) and a one-line reason, from whatever the loader threw. */
function whyUnreadable(cause: unknown): { file?: string; reason: string } {
  if (cause instanceof ConfigFileError) return { file: cause.filepath, reason: firstLine(cause.reason) };
  if (!(cause instanceof Error)) return { reason: String(cause) };
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { reason: 'no such file' };
  if (code === 'EISDIR') return { reason: 'is a directory' };
  // cosmiconfig: "JSON Error in <file>:\n<code frame>\n<reason> while parsing '…'" (YAML alike).
  const parse = /^(JSON|YAML) Error in (.+?):\s*\n([\s\S]*)$/.exec(cause.message);
  if (!parse) return { reason: firstLine(cause.message) };
  const [, kind, file, rest = ''] = parse;
  const reason = rest
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '' && !/^(>|\||\d+ \||-+\^)/.test(line));
  return { file, reason: `invalid ${kind}${reason ? `: ${reason.replace(/ while parsing .*$/, '')}` : ''}` };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
