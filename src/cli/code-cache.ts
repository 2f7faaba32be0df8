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
 * - The data holds what the run that wrote it compiled, and no later run that takes it back adds to
 *   it: a cache written by `--help` or `services` lacks the lookup's functions, which every lookup
 *   would then compile again (~9 ms each, measured). So a run of another command writes its data
 *   as `…-partial.code`, which any run reads when there is nothing better, and the check command,
 *   what most runs are (`isCheck`), writes the whole file for every chunk it did not take from one.
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
  /** Where its code came from: a check run's data, another command's (`-partial`), or the source. */
  from: 'whole' | 'partial' | 'source';
}

/** Same line as the source's first, so that stack traces keep their line numbers. */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __tiImport) {';

export type ImportModule = (specifier: string) => Promise<unknown>;

/**
 * @param cacheDir where cached code is kept; undefined compiles every time and keeps nothing.
 * @param importModule the bundle's import(): relative specifiers arrive resolved to file URLs.
 * @param flagsTag names the V8 flags in force now ('' for V8's own), asked at each read and write.
 * @param isCheck whether this run is the check command (asked at exit): its data is written whole.
 */
export function bundleLoader(
  entry: string,
  cacheDir: string | undefined,
  importModule: ImportModule,
  flagsTag: () => string = () => '',
  isCheck: () => boolean = () => true,
): BundleLoader {
  const nodeRequire = createRequire(entry);
  const loaded = new Map<string, Loaded>();
  // Cached code is code: a folder that someone else could write to is neither read nor written.
  const usable = cacheDir !== undefined && isPrivateOrAbsent(cacheDir) ? cacheDir : undefined;
  const cacheName = (file: string, partial = false) =>
    `${basename(file)}.${process.version}-${process.arch}${flagsTag()}${partial ? '-partial' : ''}.code`;

  const read = (file: string, partial: boolean) =>
    usable === undefined ? undefined : readIfThere(join(usable, cacheName(file, partial)));

  /** `file` compiled with its cached code, whole data rather than partial, and where that came from. */
  function compile(file: string, source: string): { script: Script; from: Loaded['from'] } {
    const whole = read(file, false);
    const cachedData = whole ?? read(file, true);
    const script = new Script(wrapped(source), { filename: file, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) return { script, from: 'source' };
    return { script, from: whole ? 'whole' : 'partial' };
  }

  function load(file: string): unknown {
    const known = loaded.get(file);
    if (known) return known.module.exports;
    // The bundle is ASCII (scripts/bundle.mjs): read as Latin-1, V8 gets a one-byte string without
    // a UTF-8 decode, a few ms of every start-up.
    const { script, from } = compile(file, readFileSync(file, 'latin1'));
    const module = { exports: {} as unknown, id: file, filename: file, loaded: false };
    loaded.set(file, { module, script, from });
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
    const whole = isCheck();
    const worth = [...loaded].filter(([, { from }]) => from === 'source' || (whole && from === 'partial'));
    if (worth.length === 0) return;
    try {
      mkdirSync(usable, { recursive: true, mode: 0o700 });
      for (const [file, { script, from }] of worth) {
        writeWhole(join(usable, cacheName(file, !whole)), script.createCachedData());
        if (from === 'partial') rmSync(join(usable, cacheName(file, true)), { force: true });
      }
    } catch {
      return;
    }
    // Something was compiled afresh: an install or an upgrade, the time to clear what older ones left.
    pruneStale(usable, dirname(entry));
  }

  return {
    load,
    get compiled() {
      const how = ({ from }: Loaded) => (from === 'source' ? 'compiled' : 'from cache');
      return new Map([...loaded].map(([file, kept]) => [file, how(kept)] as const));
    },
    save,
  };
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
const CACHE_FILE = /^(.+\.cjs)\.v[\d.]+-\w+(?:-tuned)?(?:-partial)?\.code$/;

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

const wrapped = (source: string) => `${WRAPPER_HEAD}${source}\n})`;

const isRelative = (specifier: string) => specifier.startsWith('./') || specifier.startsWith('../');

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
