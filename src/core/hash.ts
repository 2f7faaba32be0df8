import { createHash } from 'node:crypto';
import { close, open, read } from 'node:fs';

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

/** MD5, SHA1 and SHA256 of a file in one pass; memory stays at one chunk whatever the file size. */
export async function hashFile(path: string | Buffer, signal?: AbortSignal): Promise<FileDigest> {
  signal?.throwIfAborted();
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  let size = 0;
  const fd = await openFile(path);
  let pool = firstReads;
  let buffer = pool.take();
  try {
    for (;;) {
      const n = await readInto(fd, buffer);
      if (n === 0) break;
      const bytes = n === buffer.length ? buffer : buffer.subarray(0, n);
      size += n;
      md5.update(bytes);
      sha1.update(bytes);
      sha256.update(bytes);
      signal?.throwIfAborted();
      if (n === buffer.length && pool === firstReads) {
        // A large file: the rest in large reads.
        pool.give(buffer);
        pool = chunks;
        buffer = pool.take();
      }
    }
  } finally {
    // Only once no read is using it any more.
    pool.give(buffer);
    await closeFile(fd);
  }
  return { size, md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
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

function closeFile(fd: number): Promise<void> {
  // A failed close after a complete read changes nothing about the digest.
  return new Promise((resolve) => close(fd, () => resolve()));
}
