/**
 * Plugin services: ES modules in `<config dir>/services/` (`*.mjs`, `*.js`, in name order) and the
 * files the config's `plugins` lists. Each default-exports a service definition, or a function that
 * gets the plugin kit (src/services/plugin-kit.ts) and returns one, or a promise of one. A plugin
 * that cannot be used — it does not import, has the wrong shape, or takes a name already taken — is
 * one problem line naming its file; the other plugins and every built-in service still run.
 */
import { readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PluginKit } from '../services/plugin-kit.js';
import type { ServiceDefinition } from '../services/types.js';

export interface PluginSources {
  /** `<config dir>/services`: every `*.mjs` / `*.js` file in it. A missing folder holds none. */
  dir?: string;
  /** The config's `plugins`, as absolute paths. */
  listed?: readonly string[];
}

export interface LoadedPlugins {
  /** The usable plugins, checked and marked with their file, in load order. */
  services: ServiceDefinition[];
  /** `plugin <file>: <why>`, one per plugin left out (or folder that could not be read). */
  problems: string[];
}

const PLUGIN_FILE = /\.(mjs|js)$/;

/**
 * Loads the plugins of `sources`. `builtIn` are the services already known: a plugin may take none
 * of their ids or aliases. `redact` masks the keys in what a broken plugin's error says.
 */
export async function loadPlugins(
  sources: PluginSources,
  builtIn: readonly ServiceDefinition[],
  redact: (text: string) => string = (text) => text,
): Promise<LoadedPlugins> {
  const problems: string[] = [];
  const files = [...(sources.dir ? filesIn(sources.dir, problems) : []), ...(sources.listed ?? [])];
  const services: ServiceDefinition[] = [];
  const owner = new Map<string, string>();
  for (const service of builtIn) {
    for (const name of [service.id, ...(service.aliases ?? [])]) {
      owner.set(name.toLowerCase(), `the built-in service ${service.displayName}`);
    }
  }
  for (const file of [...new Set(files.map((f) => resolve(f)))]) {
    try {
      const service = await loadOne(file, (name) => owner.get(String(name).toLowerCase()));
      for (const name of [service.id, ...(service.aliases ?? [])]) owner.set(name, `the plugin ${file}`);
      services.push(service);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(`plugin ${file}: ${redact(firstLine(reason))} (left out; the other services still run)`);
    }
  }
  return { services, problems };
}

/**
 * Read synchronously: every run that asks a service lists the folder, most often to find that it
 * does not exist, and a trip through libuv's thread pool for that held up a lookup's first request
 * by 1.5–7 ms, where the system call itself takes microseconds.
 */
function filesIn(dir: string, problems: string[]): string[] {
  try {
    const entries = readdirSync(dir, { withFileTypes: true });
    return entries
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && PLUGIN_FILE.test(e.name))
      .map((e) => join(dir, e.name))
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') problems.push(`plugin folder ${dir}: cannot be read (${code ?? String(error)})`);
    return [];
  }
}

/** `takenBy(name)`: who already answers to that id or alias, if anyone. */
async function loadOne(
  file: string,
  takenBy: (name: unknown) => string | undefined,
): Promise<ServiceDefinition> {
  const found = await stat(file).catch((error: NodeJS.ErrnoException) => error.code ?? 'unreadable');
  if (typeof found === 'string')
    throw new Error(found === 'ENOENT' ? 'no such file' : `cannot be read (${found})`);
  if (!found.isFile()) throw new Error('not a file');
  // The kit and the plugin contract's schemas are loaded by the first plugin: a run with none
  // (most) neither compiles nor builds them.
  const { describeIssues, pluginDefinitionSchema, pluginKit, pluginService } = await import(
    '../services/plugin-kit.js'
  );
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw new Error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
  let exported = module.default;
  if (exported === undefined) {
    throw new Error(
      'no default export: export a service definition, or a function of the kit that returns one',
    );
  }
  if (typeof exported === 'function') {
    try {
      exported = await (exported as (kit: PluginKit) => unknown)(await pluginKit());
    } catch (error) {
      throw new Error(`its default export threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // Said first: a plugin named like a built-in is most likely a copy of it, whatever else is wrong.
  const { id, aliases } = (exported ?? {}) as { id?: unknown; aliases?: unknown };
  const clash = [id, ...(Array.isArray(aliases) ? aliases : [])].find((name) => takenBy(name));
  if (clash !== undefined) {
    throw new Error(`"${String(clash)}" is already ${takenBy(clash)}: pick another id or alias`);
  }
  const parsed = pluginDefinitionSchema.safeParse(exported);
  if (!parsed.success) throw new Error(`not a service definition: ${describeIssues(parsed.error)}`);
  return pluginService(parsed.data, file);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
