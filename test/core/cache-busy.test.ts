/**
 * The cache while another process holds its write lock. Two processes creating the cache at the
 * same moment: SQLite refuses one of them SQLITE_BUSY at once (no busy timeout). Reproduced here
 * without timing luck: another process holds a write transaction on the brand-new file while this
 * one opens the cache. And a lock held past the busy timeout gets words, not "internal error".
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheBusyError, openCache } from '../../src/core/cache.js';

const HOLD_MS = 400;

/** Starts a process that holds `BEGIN IMMEDIATE` on `file` for `holdMs`; resolves once it holds it. */
function holdWriteLock(
  file: string,
  holdMs = HOLD_MS,
): Promise<{ exited: Promise<number | null>; stop: () => void }> {
  const script = `
    import Database from 'better-sqlite3';
    const db = new Database(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('held\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${holdMs});
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, file], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    // Wrapped: resolving with the bare `exited` promise would wait for the child to end.
    child.stdout.once('data', () => resolve({ exited, stop: () => child.kill() }));
    child.once('error', reject);
    exited.then((code) => reject(new Error(`lock holder exited early (${code})`)));
  });
}

describe('openCache while another process is creating the same file', () => {
  it('waits for the other process instead of failing with "database is locked"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ti-check-cache-busy-'));
    const { exited } = await holdWriteLock(join(dir, 'cache-v1.sqlite'));

    const startedAt = Date.now();
    const cache = openCache(dir, { found: 60, notFound: 60 });
    const waited = Date.now() - startedAt;

    expect(cache.stats().entries).toBe(0);
    cache.close();
    // It opened after the other process let go, not by ignoring its lock.
    expect(waited).toBeGreaterThanOrEqual(HOLD_MS / 2);
    expect(await exited).toBe(0);
  });

  it('names the file and the other process when the lock outlasts the 10 s busy timeout', {
    timeout: 30_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ti-check-cache-busy-'));
    openCache(dir, { found: 60, notFound: 60 }).close();
    const file = join(dir, 'cache-v1.sqlite');
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
