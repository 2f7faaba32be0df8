/**
 * The config file, found and read with cosmiconfig (module name `ti-check`): the working directory
 * up to the home directory, then the user's config folder. Loaded only when a run has a file to
 * read, or one could be there (./search-places.ts): cosmiconfig's module, its search for its own
 * settings and its ~40 failed reads are ~3 ms of a run's start-up.
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
import { ConfigError } from '../errors.js';
import { userConfigDir } from './config-dir.js';
import { stripJsonComments } from './jsonc.js';
import { MODULE_NAME } from './search-places.js';

/**
 * `--config <path>` read, or else the file the search finds (null for none). A file that cannot be
 * read or parsed is a ConfigError naming it.
 */
export async function readConfigSource(options: {
  path?: string;
  cwd: string;
}): Promise<{ config: unknown; filepath: string } | null> {
  try {
    return options.path ? await explorer().load(options.path) : await searchConfig(options.cwd);
  } catch (cause) {
    const { file = options.path, reason } = whyUnreadable(cause);
    throw new ConfigError(`cannot read config${file ? ` ${file}` : ''}: ${reason}`, { cause });
  }
}

/**
 * The explorer that loads a file: made only when one is to be loaded, since making one searches
 * for cosmiconfig's own settings too, which a search that finds nothing does once already, in
 * the synchronous explorer.
 */
function explorer(): PublicExplorer {
  return cosmiconfig(MODULE_NAME, {
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
}

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
async function searchConfig(cwd: string): Promise<CosmiconfigResult> {
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
