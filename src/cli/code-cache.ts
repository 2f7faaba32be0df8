/**
 * Loads the CLI's CommonJS bundle with V8's code cache, on every supported Node (20.19 onwards).
 *
 * Compiling ~0.8 MB of JavaScript is a third of a start-up. V8 can serialise what it compiled
 * (`script.createCachedData()`) and take it back next time instead of compiling again, functions
 * compiled lazily during the run included. Node 22.1's `module.enableCompileCache` does this for
 * modules, but Node 20 has nothing of the kind, so the bundle is CommonJS run through `vm.Script`,
 * which takes `cachedData` on every Node.
 *
 * - The bundle's files are ASCII: non-ASCII text is written as escapes at build.
 * - Only the bundle's own files go through here (`./` and `../` requires between its chunks);
 *   packages and Node's modules go to Node's `require`.
 * - The bundle's `import()` of packages, plugins and configs is written `__tiImport()` at build
 *   (scripts/bundle.mjs) and handed to the caller's `importModule`, an ES module's own import().
 *   Node 20's V8 forgets a script's import() callback when its code comes from the cache ("A
 *   dynamic import callback was not specified"), and Node's own loader for vm scripts is
 *   experimental; a plain function is neither.
 * - A cache file is named after the chunk (whose name carries a hash of its content), the Node
 *   version and the V8 flags in force (`flagsTag`: a run may tune V8 midway, src/cli/v8-flags.ts).
 *   V8 itself refuses data from another V8, other flags or a source of another length; refused or
 *   missing data is written afresh when the process exits, under the flags in force then, which
 *   are the ones V8 puts in it.
 * - Kept in the user's own cache folder, never in a shared temporary directory where another user
 *   could leave code for ti-check to run; a folder that is not the user's alone, or that others can
 *   write to, is neither read nor written. A folder that cannot be written costs the speed-up only.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

export interface BundleLoader {
  /** `require()` for one of the bundle's files, by absolute path. */
  load(file: string): unknown;
  /** How each file loaded so far was compiled, by absolute path (for tests). */
  readonly compiled: ReadonlyMap<string, 'from cache' | 'compiled'>;
  /** Writes cached code for every file compiled afresh. Errors are swallowed: a cache is optional. */
  save(): void;
}

interface Loaded {
  module: { exports: unknown };
  script: Script;
  /** Compiled from source: its code is worth writing at exit. */
  fresh: boolean;
}

/** Same line as the source's first, so that stack traces keep their line numbers. */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __tiImport) {';

export type ImportModule = (specifier: string) => Promise<unknown>;

/**
 * @param cacheDir where cached code is kept; undefined compiles every time and keeps nothing.
 * @param importModule the bundle's import(): relative specifiers arrive resolved to file URLs.
 * @param flagsTag names the V8 flags in force now ('' for V8's own), asked at each read and write.
 */
export function bundleLoader(
  entry: string,
  cacheDir: string | undefined,
  importModule: ImportModule,
  flagsTag: () => string = () => '',
): BundleLoader {
  const nodeRequire = createRequire(entry);
  const loaded = new Map<string, Loaded>();
  const compiled = new Map<string, 'from cache' | 'compiled'>();
  // Cached code is code: a folder that someone else could write to is neither read nor written.
  const usable = cacheDir !== undefined && isPrivateOrAbsent(cacheDir) ? cacheDir : undefined;
  const cacheName = (file: string) =>
    `${basename(file)}.${process.version}-${process.arch}${flagsTag()}.code`;

  function load(file: string): unknown {
    const known = loaded.get(file);
    if (known) return known.module.exports;
    // The bundle is ASCII (scripts/bundle.mjs): read as Latin-1, V8 gets a one-byte string without
    // a UTF-8 decode, a few ms of every start-up.
    const source = readFileSync(file, 'latin1');
    const cachedData = usable === undefined ? undefined : readIfThere(join(usable, cacheName(file)));
    const script = new Script(`${WRAPPER_HEAD}${source}\n})`, { filename: file, cachedData });
    const fromCache = cachedData !== undefined && !script.cachedDataRejected;
    compiled.set(file, fromCache ? 'from cache' : 'compiled');
    const module = { exports: {} as unknown, id: file, filename: file, loaded: false };
    loaded.set(file, { module, script, fresh: !fromCache });
    const dir = dirname(file);
    const require = Object.assign(
      (id: string) => (isRelative(id) ? load(resolve(dir, id)) : nodeRequire(id)),
      { resolve: nodeRequire.resolve, cache: nodeRequire.cache },
    );
    const importFromHere = (specifier: string) =>
      importModule(isRelative(specifier) ? pathToFileURL(resolve(dir, specifier)).href : specifier);
    script.runInThisContext()(module.exports, require, module, file, dir, importFromHere);
    module.loaded = true;
    return module.exports;
  }

  function save(): void {
    if (usable === undefined) return;
    const fresh = [...loaded].filter(([, { fresh }]) => fresh);
    if (fresh.length === 0) return;
    try {
      mkdirSync(usable, { recursive: true, mode: 0o700 });
      for (const [file, { script }] of fresh) {
        writeWhole(join(usable, cacheName(file)), script.createCachedData());
      }
    } catch {
      return;
    }
    // Something was compiled afresh: an install or an upgrade, the time to clear what older ones left.
    pruneStale(usable, dirname(entry));
  }

  return { load, compiled, save };
}

/** Whole or not at all: another run may be reading the file, or writing it too. */
function writeWhole(file: string, data: Buffer): void {
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, data, { mode: 0o600 });
  try {
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/** Cached code unused this long, of a file this bundle does not have, is another version's. */
const STALE_MS = 30 * 24 * 3600 * 1000;
const CACHE_FILE = /^(.+\.cjs)\.v[\d.]+-\w+(?:-tuned)?\.code$/;

/**
 * Removes cached code that an older ti-check left: files of chunks this bundle does not have,
 * untouched for 30 days. A second install that still uses one writes it again, once.
 */
function pruneStale(cacheDir: string, bundleDir: string): void {
  const ours = (chunk: string) =>
    existsSync(join(bundleDir, chunk)) || existsSync(join(bundleDir, 'chunks', chunk));
  try {
    for (const name of readdirSync(cacheDir)) {
      const chunk = CACHE_FILE.exec(name)?.[1];
      if (chunk === undefined || ours(chunk)) continue;
      const file = join(cacheDir, name);
      if (Date.now() - statSync(file).mtimeMs > STALE_MS) rmSync(file, { force: true });
    }
  } catch {
    // Another run pruning too, a folder gone: nothing is lost but disk space.
  }
}

/**
 * The folder is this user's and only theirs (no group or other write), or does not exist yet (it is
 * made 0700). On a system without user ids (Windows) the folder's ACLs are the user profile's.
 */
function isPrivateOrAbsent(dir: string): boolean {
  try {
    const { uid, mode } = statSync(dir);
    const me = process.getuid?.();
    return me === undefined || (uid === me && (mode & 0o022) === 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

const isRelative = (specifier: string) => specifier.startsWith('./') || specifier.startsWith('../');

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
