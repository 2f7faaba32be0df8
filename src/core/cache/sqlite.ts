/**
 * The answer cache: one SQLite file (better-sqlite3) under the user's cache directory, keyed by
 * service, base URL and hash. SQLite's WAL journal makes every write atomic and lets several
 * ti-check processes share the file; a row that is not a valid answer by the report model's schema
 * (store.ts) is treated as a miss and overwritten. A file that turns out damaged mid-run (or stays locked past the busy timeout) is set
 * aside for the rest of the run, and a damaged one is removed at close so the next run starts
 * afresh. Only vendor answers (found / not found) are stored, never errors, never keys.
 *
 * A transaction per row costs far more than the row (a commit each), so writes are queued and
 * committed together: every FLUSH_ROWS rows, FLUSH_MS after the first queued one, whenever the
 * caller asks (`flush`: the CLI does before it prints a line, so a printed answer is a stored one),
 * and at close. Reads share one read transaction for up to READ_BATCH_MS / READ_BATCH_ROWS, and a
 * queued row answers a read before it is committed.
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { importEarlierCache } from './import-earlier.js';
import { createTables, digestKey, sourceIds, storedHash } from './layout.js';
import { openSqlite, type SqliteDatabase } from './open-sqlite.js';
import { makeDirectories } from './paths.js';
import {
  CacheBusyError,
  type CacheCleanup,
  type CacheStats,
  type CacheTtl,
  decodeAnswer,
  encodeAnswer,
  type LocalAnswerCache,
} from './store.js';

const FILE_NAME = 'cache-v2.sqlite';
/** Queued writes committed in one transaction once there are this many… */
const FLUSH_ROWS = 2048;
/** …or this long after the first of them was queued. */
const FLUSH_MS = 200;
/** Reads in a row that share one read transaction (one snapshot, one lock), at most… */
const READ_BATCH_ROWS = 1024;
/** …and for at most this long, so other processes' writes are seen soon after. */
const READ_BATCH_MS = 10;

/** A row as stored, before it is committed. */
interface QueuedRow {
  /** The index key of the hash (layout.ts). */
  key: number;
  service: string;
  baseUrl: string;
  hash: string;
  status: string;
  body: string;
  fetchedAt: number;
  expiresAt: number;
}

/**
 * Rows waiting for the next flush, by the hash's hex digits: a string each lookup already has,
 * where a key joining service, base URL and hash would be a new string to hash at every read and
 * write (~0.4 µs each on Node 20). The last answer for a (service, base URL, hash) wins, as
 * INSERT OR REPLACE would.
 */
class WriteQueue {
  readonly #byDigits = new Map<string, QueuedRow[]>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  find(digits: string, service: string, baseUrl: string, hash: string): QueuedRow | undefined {
    const rows = this.#byDigits.get(digits);
    return rows?.[indexOf(rows, service, baseUrl, hash)];
  }

  add(digits: string, row: QueuedRow): void {
    const rows = this.#byDigits.get(digits);
    if (!rows) {
      this.#byDigits.set(digits, [row]);
      this.#size++;
      return;
    }
    const at = indexOf(rows, row.service, row.baseUrl, row.hash);
    if (at === -1) {
      rows.push(row);
      this.#size++;
    } else rows[at] = row;
  }

  *rows(): Generator<QueuedRow> {
    for (const rows of this.#byDigits.values()) yield* rows;
  }

  clear(): void {
    this.#byDigits.clear();
    this.#size = 0;
  }
}

/** Where the row of (service, base URL, hash) is among one digits' queued rows; -1 when it is not. */
function indexOf(rows: readonly QueuedRow[], service: string, baseUrl: string, hash: string): number {
  return rows.findIndex((row) => row.service === service && row.baseUrl === baseUrl && row.hash === hash);
}

/**
 * `onError`: told once when the cache stops being used mid-run (the run goes on without it).
 */
export function openCache(
  dir: string,
  ttl: CacheTtl,
  now: () => number = Date.now,
  onError?: (error: Error) => void,
): LocalAnswerCache {
  makeDirectories(dir);
  const file = join(dir, FILE_NAME);
  let db: SqliteDatabase;
  try {
    db = openDatabase(file);
  } catch (error) {
    // Only a file that is not a SQLite database any more (truncated by hand, disk trouble) is
    // replaced. Anything else (the addon does not load, a locked or unreadable file) leaves it be.
    if (!isDamaged(error)) throw error;
    removeDatabase(file);
    db = openDatabase(file);
  }
  importEarlierCache(db, dir, now());
  const sources = sourceIds(db);
  const selectAt = db.prepare<[number, number, string, number], { body: string; fetched_at: number }>(
    'SELECT body, fetched_at FROM answers WHERE key = ? AND source = ? AND hash = ? AND expires_at > ?',
  );
  const upsert = db.prepare<[number, number, string, string, string, number, number]>(
    'INSERT OR REPLACE INTO answers (key, source, hash, status, body, fetched_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const begin = db.prepare('BEGIN');
  const beginWrite = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const queued = new WriteQueue();
  // The cache only saves quota: a read or write that fails turns it off for this run, never fails the run.
  let failed: Error | undefined;
  const guard = <T>(action: () => T, fallback: T): T => {
    if (failed) return fallback;
    try {
      return action();
    } catch (error) {
      failed = explainBusy(error instanceof Error ? error : new Error(String(error)), file);
      queued.clear();
      onError?.(failed);
      return fallback;
    }
  };

  let flushTimer: NodeJS.Timeout | undefined;
  /** The read transaction that reads share, while one is open. */
  let reading: { rows: number; timer: NodeJS.Timeout } | undefined;

  const endRead = () => {
    if (!reading) return;
    clearTimeout(reading.timer);
    reading = undefined;
    commit.run();
  };
  const startRead = () => {
    if (reading && reading.rows < READ_BATCH_ROWS) {
      reading.rows++;
      return;
    }
    endRead();
    begin.run();
    const timer = setTimeout(() => guard(endRead, undefined), READ_BATCH_MS);
    // Never what keeps a finished run alive: close() ends it anyway.
    timer.unref();
    reading = { rows: 1, timer };
  };

  const flush = () => {
    if (flushTimer) {
      clearTimeout(flushTimer);
      flushTimer = undefined;
    }
    if (queued.size === 0) return;
    guard(() => {
      endRead();
      // IMMEDIATE: the write lock is taken (and waited for) up front, never half-way through.
      beginWrite.run();
      try {
        for (const row of queued.rows()) {
          const source = sources.ensure(row.service, row.baseUrl);
          upsert.run(row.key, source, row.hash, row.status, row.body, row.fetchedAt, row.expiresAt);
        }
        commit.run();
      } catch (error) {
        try {
          rollback.run();
        } catch {
          // Already rolled back by SQLite itself.
        }
        // A source numbered in this transaction was never committed.
        sources.forget();
        throw error;
      }
      queued.clear();
    }, undefined);
  };

  /** A damaged file has nothing worth keeping: it is marked, and close() removes it. */
  const cleanUp = (remove: () => number): CacheCleanup => {
    try {
      flush();
      endRead();
      const removed = remove();
      db.exec('VACUUM');
      return { removed, damaged: null };
    } catch (error) {
      if (!isDamaged(error)) throw explainBusy(error, file);
      failed = error;
      return { removed: 0, damaged: error.message };
    }
  };

  return {
    file,
    get(key) {
      if (failed) return undefined;
      const hash = storedHash(key.hash.type, key.hash.value);
      const t = now();
      const waiting = queued.find(key.hash.value, key.service, key.baseUrl, hash);
      if (waiting)
        return waiting.expiresAt > t ? decodeAnswer(key.service, waiting.body, waiting.fetchedAt) : undefined;
      const row = guard(() => {
        startRead();
        const source = sources.known(key.service, key.baseUrl);
        return source === undefined ? undefined : selectAt.get(digestKey(key.hash.value), source, hash, t);
      }, undefined);
      return row ? decodeAnswer(key.service, row.body, row.fetched_at) : undefined;
    },
    put(key, result) {
      if (failed) return;
      const stored = encodeAnswer(result, ttl, now);
      if (!stored) return;
      const hash = storedHash(key.hash.type, key.hash.value);
      queued.add(key.hash.value, {
        key: digestKey(key.hash.value),
        service: key.service,
        baseUrl: key.baseUrl,
        hash,
        status: stored.status,
        body: stored.body,
        fetchedAt: stored.fetchedAt,
        expiresAt: stored.fetchedAt + stored.ttlSeconds * 1000,
      });
      if (queued.size >= FLUSH_ROWS) flush();
      else if (!flushTimer) {
        flushTimer = setTimeout(flush, FLUSH_MS);
        // close() commits whatever is still queued: the timer need not keep the process alive.
        flushTimer.unref();
      }
    },
    flush,
    stats() {
      try {
        flush();
        guard(endRead, undefined);
        return { ...readStats(db, now()), file, damaged: null };
      } catch (error) {
        // Only looked at, never changed: the next run sets a damaged file aside and replaces it.
        if (!isDamaged(error)) throw error;
        return { file, bytes: fileSize(file), entries: 0, expired: 0, byService: {}, damaged: error.message };
      }
    },
    usedToday(services) {
      flush();
      const since = Date.parse(`${new Date(now()).toISOString().slice(0, 10)}T00:00:00Z`);
      const count = db
        .prepare<[number, number], number>(
          'SELECT count(*) FROM answers WHERE source = ? AND fetched_at >= ?',
        )
        .pluck();
      const countOf = (service: string, baseUrl: string) => {
        const source = sources.known(service, baseUrl);
        return source === undefined ? 0 : (count.get(source, since) ?? 0);
      };
      return new Map(services.map((s) => [s.service, guard(() => countOf(s.service, s.baseUrl), 0)]));
    },
    clear() {
      return cleanUp(() => db.prepare('DELETE FROM answers').run().changes);
    },
    prune() {
      return cleanUp(() => db.prepare('DELETE FROM answers WHERE expires_at <= ?').run(now()).changes);
    },
    close() {
      flush();
      guard(endRead, undefined);
      db.close();
      if (failed && isDamaged(failed)) removeDatabase(file);
    },
  };
}

function readStats(db: SqliteDatabase, t: number): Omit<CacheStats, 'file' | 'damaged'> {
  const rows = db
    .prepare<[], { service: string; status: string; n: number }>(
      'SELECT s.service AS service, a.status AS status, count(*) AS n FROM answers a JOIN sources s ON s.id = a.source GROUP BY s.service, a.status',
    )
    .all();
  const byService: CacheStats['byService'] = {};
  let entries = 0;
  for (const row of rows) {
    const counts = byService[row.service] ?? { found: 0, notFound: 0 };
    byService[row.service] = counts;
    if (row.status === 'found') counts.found += row.n;
    else counts.notFound += row.n;
    entries += row.n;
  }
  const expired =
    db.prepare<[number], number>('SELECT count(*) FROM answers WHERE expires_at <= ?').pluck().get(t) ?? 0;
  const pages = db.prepare<[], number>('PRAGMA page_count').pluck().get() ?? 0;
  const pageSize = db.prepare<[], number>('PRAGMA page_size').pluck().get() ?? 0;
  return { bytes: pages * pageSize, entries, expired, byService };
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** SQLite's word for a file that is not (or no longer) a sound database, as opposed to a busy one. */
function isDamaged(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB';
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

const OPEN_PATIENCE_MS = 10_000;
/** 32 MiB of 4 KiB pages at most in the write-ahead log between checkpoints. */
const WAL_PAGES = 8192;

/**
 * Opens (and on first use creates) the cache. Switching a new file to WAL reads its header and then
 * upgrades to a write lock inside that one transaction; when two processes do it at the same moment
 * SQLite answers one of them SQLITE_BUSY at once, without waiting on the busy timeout (its deadlock
 * rule). So a busy open is tried again after a short, jittered pause, within the same patience.
 */
function openDatabase(file: string): SqliteDatabase {
  const giveUpAt = Date.now() + OPEN_PATIENCE_MS;
  for (;;) {
    try {
      return openDatabaseOnce(file);
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() >= giveUpAt) throw explainBusy(error, file);
      sleepSync(20 + Math.random() * 80);
    }
  }
}

/** "database is locked" alone does not say which file, nor that another run holds it. */
function explainBusy<E>(error: E, file: string): E | CacheBusyError {
  if (!isBusy(error)) return error;
  return new CacheBusyError(
    `the cache ${file} stayed locked by another process for ${OPEN_PATIENCE_MS / 1000} s`,
    { cause: error },
  );
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Opening is synchronous (better-sqlite3), so the pause between tries is, too. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function openDatabaseOnce(file: string): SqliteDatabase {
  const db = openSqlite(file, { timeout: OPEN_PATIENCE_MS });
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    // Answers arrive in random key order, so a row is about a page written; copying the log into
    // the database (and its fsyncs) every WAL_PAGES rather than SQLite's default 1,000 pages halves
    // the cost of a write. The log is removed when the last process closes the cache.
    db.exec(`PRAGMA wal_autocheckpoint = ${WAL_PAGES}`);
    createTables(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
