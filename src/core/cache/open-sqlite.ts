/**
 * The one place that makes better-sqlite3 objects.
 *
 * better-sqlite3 12 wraps its Database and Statement objects in Node's `ObjectWrap`. Since Node
 * 24.19, `~ObjectWrap` asserts that a JavaScript context is entered, so when the garbage collector
 * finalises one of these objects outside a context (an idle GC, the GC at exit) the whole process
 * aborts with `Assertion failed: (env) != nullptr` (nodejs/node#65446). better-sqlite3 13 no longer
 * uses ObjectWrap, but it needs Node >= 22 and ti-check supports Node 20.19.
 *
 * So every object made here stays reachable until the process ends: the GC never finalises one,
 * and Node frees them through its own cleanup hooks at exit, inside a context. A run opens one
 * database and a handful of statements, so what is kept is a few objects, not a leak.
 * `db.pragma()` is deliberately not offered: it prepares statements the caller cannot keep.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../../errors.js';

export type Statement<P extends unknown[] = unknown[], R = unknown> = Database.Statement<P, R>;

export interface SqliteDatabase {
  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): Statement<P, R>;
  /** Runs SQL that returns no rows to read (DDL, PRAGMA settings, VACUUM). */
  exec(sql: string): void;
  /** Makes `fn` a deterministic SQL function of this connection, of one argument. */
  defineFunction(name: string, fn: (value: unknown) => string | number | null): void;
  close(): void;
}

const keptUntilExit: object[] = [];

function keep<T extends object>(value: T): T {
  keptUntilExit.push(value);
  return value;
}

/** The addon is there but does not load: built for another Node.js (a Node upgrade), or missing. */
export class SqliteUnavailableError extends ConfigError {
  override name = 'SqliteUnavailableError';
}

export function openSqlite(file: string, options?: Database.Options): SqliteDatabase {
  const db = keep(construct(file, options));
  return {
    prepare: <P extends unknown[] = unknown[], R = unknown>(sql: string) => keep(db.prepare<P, R>(sql)),
    exec: (sql) => {
      db.exec(sql);
    },
    defineFunction: (name, fn) => {
      db.function(name, { deterministic: true }, fn);
    },
    close: () => {
      db.close();
    },
  };
}

let addonPath: string | undefined;

/**
 * Where better-sqlite3's addon is, found as better-sqlite3 itself finds it (`bindings`, from its
 * package folder). The CLI bundle carries better-sqlite3's JavaScript, code-cached with the rest
 * instead of compiled by Node at every run that opens the cache (~4 ms), so the search cannot be
 * left to it: `bindings` looks beside the file that calls it.
 *
 * `bindings` tries a dozen places in turn, each a failed `require.resolve()` with an error and its
 * stack trace made and dropped, ~3 ms of every run that opens the cache; npm's install puts the
 * addon in the third, `build/Release`. So that one is taken at once when neither place `bindings`
 * would try before it holds an addon; anything else is left to `bindings`.
 */
function nativeBinding(): string {
  if (addonPath) return addonPath;
  const { createRequire } = process.getBuiltinModule('node:module');
  const manifest = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
  const root = dirname(manifest);
  const prebuilt = releaseAddon(root);
  if (prebuilt) {
    addonPath = prebuilt;
    return addonPath;
  }
  const bindings = createRequire(manifest)('bindings') as (options: {
    bindings: string;
    module_root: string;
    path: true;
  }) => string;
  addonPath = bindings({ bindings: ADDON, module_root: root, path: true });
  return addonPath;
}

const ADDON = 'better_sqlite3.node';

/** `build/Release/<addon>` when `bindings` would find it first, else undefined (exported for tests). */
export function releaseAddon(
  root: string,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  const build = join(root, 'build');
  const released = join(build, 'Release', ADDON);
  const before = [join(build, ADDON), join(build, 'Debug', ADDON)];
  return !before.some(exists) && exists(released) ? released : undefined;
}

function construct(file: string, options?: Database.Options): Database.Database {
  try {
    return new Database(file, { ...options, nativeBinding: nativeBinding() });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error instanceof Error ? error.message : String(error);
    if (
      code === 'ERR_DLOPEN_FAILED' ||
      /NODE_MODULE_VERSION|did not self-register|bindings file/.test(message)
    ) {
      throw new SqliteUnavailableError(
        `the cache's SQLite addon (better-sqlite3) does not load in Node.js ${process.version}; ` +
          `run "npm rebuild better-sqlite3" where ti-check is installed (${message.split('\n')[0]})`,
        { cause: error },
      );
    }
    throw error;
  }
}
