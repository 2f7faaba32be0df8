/**
 * The cache while another process holds its write lock. Two processes creating the cache at the
 * same moment: SQLite refuses one of them SQLITE_BUSY at once (no busy timeout). Reproduced here
 * without timing luck: another process holds a write transaction on the brand-new file while this
 * one opens the cache. And a lock held past the busy timeout gets words, not "internal error".
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheBusyError, openCache } from '../../src/core/cache/index.js';
import { tempDir } from '../helpers/temp-dir.js';

const HOLD_MS = 400;

interface LockHolder {
  exited: Promise<number | null>;
  /** Date.now() just before it committed (so after it, the lock was free): NaN if it never did. */
  releasedAt: Promise<number>;
  stop: () => void;
}

/** Starts a process that holds `BEGIN IMMEDIATE` on `file` for `holdMs`; resolves once it holds it. */
function holdWriteLock(file: string, holdMs = HOLD_MS): Promise<LockHolder> {
  const script = `
    import Database from 'better-sqlite3';
    const db = new Database(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('held\\n');
    setTimeout(() => {
      const releasedAt = Date.now();
      db.exec('COMMIT');
      db.close();
      process.stdout.write('released ' + releasedAt + '\\n');
    }, ${holdMs});
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, file], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const releasedAt = exited.then(() => Number(/released (\d+)/.exec(output)?.[1]));
  return new Promise((resolve, reject) => {
    // Wrapped: resolving with the bare `exited` promise would wait for the child to end.
    child.stdout.once('data', () => resolve({ exited, releasedAt, stop: () => child.kill() }));
    child.once('error', reject);
    exited.then((code) => reject(new Error(`lock holder exited early (${code})`)));
  });
}

describe('openCache while another process is creating the same file', () => {
  it('waits for the other process instead of failing with "database is locked"', async () => {
    const dir = tempDir('ti-check-cache-busy-');
    const { exited, releasedAt } = await holdWriteLock(join(dir, 'cache-v2.sqlite'));

    const cache = openCache(dir, { found: 60, notFound: 60 });
    const openedAt = Date.now();

    expect(cache.stats().entries).toBe(0);
    cache.close();
    expect(await exited).toBe(0);
    // It opened after the other process let go, not by ignoring its lock. Compared with the
    // holder's own clock reading, not with a duration, so a slow machine cannot fail it.
    expect(openedAt).toBeGreaterThanOrEqual(await releasedAt);
  });

  it('names the file and the other process when the lock outlasts the 10 s busy timeout', {
    timeout: 30_000,
  }, async () => {
    const dir = tempDir('ti-check-cache-busy-');
    openCache(dir, { found: 60, notFound: 60 }).close();
    const file = join(dir, 'cache-v2.sqlite');
    // Held far longer than the 10 s the prune waits, so a slow machine cannot release it in time.
    const { exited, stop } = await holdWriteLock(file, 25_000);

    const cache = openCache(dir, { found: 60, notFound: 60 });
    // `ti-check cache prune` writes: it waits 10 s, then says why, never "internal error".
    const error = (() => {
      try {
        cache.prune();
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    cache.close();
    stop();
    await exited;
    expect(error).toBeInstanceOf(CacheBusyError);
    expect((error as Error).message).toBe(`the cache ${file} stayed locked by another process for 10 s`);
  });
});
