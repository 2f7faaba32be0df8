/**
 * The cache file's tables, and the two small keys its index is made of.
 *
 * Answers arrive in random hash order, and a commit rewrites every index page it touched: the
 * narrower the index entry, the fewer pages a commit of a few hundred answers writes. So the index
 * holds two integers, not the three strings a row is keyed by:
 * - `key`, 52 bits of the hash (exact in a double): its first 7 and last 6 hex digits, so that
 *   hashes alike at one end (a made-up one, a counter padded with zeros) still differ;
 * - `source`, a number standing for the (service, base URL) pair, from the `sources` table.
 * The full hash is kept in the row and compared on every read, so two hashes that share a key
 * never answer for each other: the later one replaces the earlier, whose next lookup is a miss.
 * Rows are appended (a rowid table), and one hash's answers from several services sit side by side
 * in the index, `key` coming first.
 */
import { mapIn } from '../map-in.js';
import type { SqliteDatabase } from './open-sqlite.js';

export function createTables(db: SqliteDatabase): void {
  db.exec(`CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY, service TEXT NOT NULL, base_url TEXT NOT NULL,
    UNIQUE (service, base_url))`);
  db.exec(`CREATE TABLE IF NOT EXISTS answers (
    key INTEGER NOT NULL, source INTEGER NOT NULL, hash TEXT NOT NULL,
    status TEXT NOT NULL, body TEXT NOT NULL, fetched_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
    UNIQUE (key, source))`);
}

/** How a hash is written in the `hash` column: `sha256:<hex>`. */
export const storedHash = (type: string, value: string): string => `${type}:${value}`;

/**
 * The index key of a hash's hex digits. Anything that is not hex (a row from an older file, read
 * back in an import) gets 0: still a valid key, since the full hash is compared on reading.
 */
export function digestKey(hex: string): number {
  const key = Number.parseInt(hex.slice(0, 7), 16) * 2 ** 24 + Number.parseInt(hex.slice(-6), 16);
  return Number.isNaN(key) ? 0 : key;
}

/** The number of a (service, base URL) pair, looked up once per run. */
export interface SourceIds {
  /** Its number, or undefined when the file has none yet (nothing of it is stored). */
  known(service: string, baseUrl: string): number | undefined;
  /** Its number, made when it has none. Only inside a write transaction. */
  ensure(service: string, baseUrl: string): number;
  /** Forgets every number learnt: a write transaction that made one was rolled back. */
  forget(): void;
}

export function sourceIds(db: SqliteDatabase): SourceIds {
  const select = db
    .prepare<[string, string], number>('SELECT id FROM sources WHERE service = ? AND base_url = ?')
    .pluck();
  const insert = db.prepare<[string, string]>(
    'INSERT OR IGNORE INTO sources (service, base_url) VALUES (?, ?)',
  );
  // A number never changes once it is committed (rows are never taken out of `sources`), so it can
  // be kept for the run. A pair the file does not have is asked again: another process may add it.
  // By service, then base URL: every read asks, and a key made of the two would be a new string each time.
  const ids = new Map<string, Map<string, number>>();
  const known = (service: string, baseUrl: string) => {
    let id = ids.get(service)?.get(baseUrl);
    if (id === undefined) {
      id = select.get(service, baseUrl);
      if (id !== undefined) mapIn(ids, service).set(baseUrl, id);
    }
    return id;
  };
  return {
    known,
    ensure(service, baseUrl) {
      const id = known(service, baseUrl);
      if (id !== undefined) return id;
      insert.run(service, baseUrl);
      const made = known(service, baseUrl);
      if (made === undefined) throw new Error(`the cache could not number ${service} at ${baseUrl}`);
      return made;
    },
    forget() {
      ids.clear();
    },
  };
}
