import type { Hash } from 'node:crypto';
import { close, closeSync, fstatSync, open, openSync, read, readSync } from 'node:fs';
import { monotonicMs } from '../clock.js';
import { borrowMd5Lane, type Md5Lane, returnMd5Lane } from './md5-offload.js';

export interface FileDigest {
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
}

/**
 * The first read of every file: most files a scan meets are smaller, and are read whole by it (and
 * the read that finds the end).
 */
const FIRST_READ_BYTES = 128 * 1024;
/** A file that fills the first read goes on in large reads: low per-chunk overhead. */
const CHUNK_BYTES = 1024 * 1024;
/** Buffers kept for reuse, per size: enough for every file a directory scan has in flight. */
const POOL_LIMIT = 16;
/**
 * A first read (open included) that takes longer than this came from the disk, not the page cache,
 * or the thread was only preempted: so after SLOW_READS_IN_A_ROW of them…
 */
const SLOW_READ_MS = 0.5;
const SLOW_READS_IN_A_ROW = 2;
/** …the next this many files are read through libuv's pool, several at once, then direct again. */
const POOLED_SPELL = 64;

/**
 * Read buffers are reused, not allocated per file: a fresh megabyte for every 1 KiB file is what
 * kept the garbage collector busy on a scan of small files. The hashes copy what they are given,
 * so a buffer is free again as soon as a read's bytes are hashed.
 */
class BufferPool {
  private readonly free: Buffer[] = [];
  constructor(private readonly bytes: number) {}
  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.bytes);
  }
  give(buffer: Buffer): void {
    if (this.free.length < POOL_LIMIT) this.free.push(buffer);
  }
}

const firstReads = new BufferPool(FIRST_READ_BYTES);
const chunks = new BufferPool(CHUNK_BYTES);
/**
 * From this size on, MD5 runs on a worker thread beside SHA1 and SHA256 (see md5-offload.ts):
 * below it, starting and feeding the worker costs more than it saves.
 */
export const OFFLOAD_FROM_BYTES = 16 * 1024 * 1024;

export interface HashOptions {
  signal?: AbortSignal;
  /** Tests: one way of reading for every file, instead of the choice described below. */
  read?: 'direct' | 'pooled';
  /** Tests: the size from which MD5 runs on a worker thread. */
  offloadFromBytes?: number;
}

/** Files left to read through the pool since direct reads were found slow. */
let pooledLeft = 0;
let slowReads = 0;

/**
 * MD5, SHA1 and SHA256 of a file in one pass; memory stays at one chunk whatever the file size.
 *
 * A small file in the page cache is opened and read by this thread directly: a trip through libuv's
 * thread pool per call (four per file) costs more than the call itself, and half the CPU of a scan
 * of small files. Once a direct read is slow (the disk, a network file system), files go through
 * the pool for a while, where several are read at once without holding up the event loop. What
 * follows the first read of a large file always does.
 */
export async function hashFile(path: string | Buffer, options: HashOptions = {}): Promise<FileDigest> {
  const { signal, read: how } = options;
  signal?.throwIfAborted();
  // Loaded here, not at start-up: a run given hashes never hashes a file.
  const { createHash } = process.getBuiltinModule('node:crypto');
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  let direct = how ? how === 'direct' : pooledLeft === 0;
  if (!how && !direct) pooledLeft--;
  const openedDirect = direct;
  const started = monotonicMs();
  const fd = direct ? openSync(path, 'r') : await openFile(path);
  let size = 0;
  let pool = firstReads;
  let buffer = pool.take();
  let lane: Md5Lane | undefined;
  try {
    for (;;) {
      const n = direct ? readSync(fd, buffer, 0, buffer.length, null) : await readInto(fd, buffer);
      if (direct && !how && size === 0) {
        slowReads = monotonicMs() - started > SLOW_READ_MS ? slowReads + 1 : 0;
        if (slowReads >= SLOW_READS_IN_A_ROW) {
          slowReads = 0;
          pooledLeft = POOLED_SPELL;
          direct = false;
        }
      }
      if (n === 0) break;
      const bytes = n === buffer.length ? buffer : buffer.subarray(0, n);
      size += n;
      md5.update(bytes);
      sha1.update(bytes);
      sha256.update(bytes);
      signal?.throwIfAborted();
      if (n === buffer.length && pool === firstReads) {
        // A large file: the rest in large reads, through the pool; a very large one with MD5 on
        // a worker, when one is free.
        lane =
          fstatSync(fd).size >= (options.offloadFromBytes ?? OFFLOAD_FROM_BYTES)
            ? borrowMd5Lane()
            : undefined;
        if (lane) {
          const first = await lane.take();
          buffer.copy(first);
          lane.send(first, n);
          const rest = await hashRestBesideLane(fd, lane, sha1, sha256, signal);
          size += rest.bytes;
          return { size, md5: rest.md5, sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
        }
        pool.give(buffer);
        pool = chunks;
        buffer = pool.take();
        direct = false;
      }
    }
  } finally {
    if (lane) returnMd5Lane(lane);
    // Only once no read is using it any more.
    pool.give(buffer);
    if (openedDirect) closeDirect(fd);
    else await closeFile(fd);
  }
  return { size, md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
}

/**
 * The rest of a large file: SHA1 and SHA256 here, MD5 on the lane's worker, the next chunk read
 * while this one is hashed. Resolves once every chunk is back in the lane.
 */
async function hashRestBesideLane(
  fd: number,
  lane: Md5Lane,
  sha1: Hash,
  sha256: Hash,
  signal: AbortSignal | undefined,
): Promise<{ bytes: number; md5: string }> {
  let bytes = 0;
  let current = await lane.take();
  let reading = readInto(fd, current);
  try {
    for (;;) {
      const n = await reading;
      if (n === 0) break;
      const next = await lane.take();
      reading = readInto(fd, next);
      const view = current.subarray(0, n);
      sha1.update(view);
      sha256.update(view);
      lane.send(current, n);
      current = next;
      bytes += n;
      signal?.throwIfAborted();
    }
    lane.giveBack(current);
    return { bytes, md5: await lane.digest() };
  } catch (error) {
    if (!lane.broken) {
      // Leave the lane as it was lent: no read into its chunks, every chunk back, MD5 afresh.
      await reading.catch(() => 0);
      lane.giveBack(current);
      await lane.digest().catch(() => '');
    }
    throw error;
  }
}

function openFile(path: string | Buffer): Promise<number> {
  return new Promise((resolve, reject) =>
    open(path, 'r', (error, fd) => (error ? reject(error) : resolve(fd))),
  );
}

/** Reads at the file's current position (sequentially), as much as fits. */
function readInto(fd: number, buffer: Buffer): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, buffer, 0, buffer.length, null, (error, n) => (error ? reject(error) : resolve(n))),
  );
}

// A failed close after a complete read changes nothing about the digest.
function closeFile(fd: number): Promise<void> {
  return new Promise((resolve) => close(fd, () => resolve()));
}

function closeDirect(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // As above.
  }
}
