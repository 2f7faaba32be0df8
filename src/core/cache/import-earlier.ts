/**
 * The answers of the cache file ti-check kept before its integer-keyed layout (layout.ts),
 * `cache-v1.sqlite`, carried into the new one the first time it opens, so an upgrade costs no
 * quota. Its answers still within their TTL are copied, never over an answer the new file already
 * has; then the old file is removed. Best effort, as everything the cache does: an old file that
 * cannot be read (locked past the busy timeout, no permission) is left for the next run to try
 * again, and one that is not a database of answers is removed.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { digestKey } from './layout.js';
import type { SqliteDatabase } from './open-sqlite.js';

const EARLIER_FILE_NAME = 'cache-v1.sqlite';

export function importEarlierCache(db: SqliteDatabase, dir: string, now: number): void {
  const earlier = join(dir, EARLIER_FILE_NAME);
  if (!existsSync(earlier)) return;
  let attached = false;
  try {
    db.prepare('ATTACH DATABASE ? AS earlier').run(earlier);
    attached = true;
    db.defineFunction('ti_check_digest_key', (hash) =>
      typeof hash === 'string' ? digestKey(hash.slice(hash.indexOf(':') + 1)) : 0,
    );
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(
        'INSERT OR IGNORE INTO main.sources (service, base_url) SELECT DISTINCT service, base_url FROM earlier.answers',
      );
      db.prepare(`INSERT OR IGNORE INTO main.answers (key, source, hash, status, body, fetched_at, expires_at)
        SELECT ti_check_digest_key(a.hash), s.id, a.hash, a.status, a.body, a.fetched_at, a.expires_at
        FROM earlier.answers a JOIN main.sources s ON s.service = a.service AND s.base_url = a.base_url
        WHERE a.expires_at > ?`).run(now);
      db.exec('COMMIT');
    } catch (error) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // Already rolled back by SQLite itself.
      }
      throw error;
    }
    db.exec('DETACH DATABASE earlier');
    attached = false;
    removeEarlier(earlier);
  } catch (error) {
    if (attached) {
      try {
        db.exec('DETACH DATABASE earlier');
      } catch {
        // The connection is closed by the caller if it is unusable.
      }
    }
    if (hasNothingToImport(error)) removeEarlier(earlier);
  }
}

function removeEarlier(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      rmSync(file + suffix, { force: true });
    } catch {
      // Held open elsewhere (Windows): the next run tries again.
    }
  }
}

/**
 * Not a database, or one without answers (an empty file: also what ATTACH leaves when another
 * process removed the old file a moment before). A busy or unreadable file is not this.
 */
function hasNothingToImport(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return true;
  return error instanceof Error && error.message.startsWith('no such table: earlier.answers');
}
