import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { type FileDigest, hashFile, OFFLOAD_FROM_BYTES } from './hash.js';

/**
 * Whole files hashed on worker threads while the main thread walks, reads the cache and writes the
 * report: on a scan of many small files the three digests were half of the main thread's time.
 *
 * A file goes to the worker with the fewest files waiting; only past BACKLOG (more than a walk
 * keeps in flight) is it hashed in place. Sharing the hashing with the main thread measured slower
 * (bench/scan.mjs: 2.44 s against 2.20 s for 10,000 files on 2 cores): the main thread has the
 * walk, the cache and the report to do, and its hashing held those up. The first
 * FILES_BEFORE_WORKERS files of a walk are always hashed in place: checking
 * one file never pays for starting a thread. A file a worker finds large (OFFLOAD_FROM_BYTES) comes
 * back to the main thread, whose large-file path runs MD5 beside SHA1 and SHA256.
 *
 * Requests are sent in batches (one message per event-loop turn per worker) and answered in
 * batches: a message per file would cost about what hashing a small file does.
 */
const WORKER_SCRIPT = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { closeSync, fstatSync, openSync, readSync } = require('node:fs');
const FIRST_READ = 128 * 1024;
const first = Buffer.allocUnsafeSlow(FIRST_READ);
let chunk;
function hash({ id, path }, largeFrom) {
  let fd;
  try {
    fd = openSync(path, 'r');
    const md5 = createHash('md5');
    const sha1 = createHash('sha1');
    const sha256 = createHash('sha256');
    let size = 0;
    let buffer = first;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      if (size === 0 && n === FIRST_READ && fstatSync(fd).size >= largeFrom) return { id, large: true };
      const bytes = n === buffer.length ? buffer : buffer.subarray(0, n);
      md5.update(bytes);
      sha1.update(bytes);
      sha256.update(bytes);
      size += n;
      if (n === FIRST_READ && buffer === first) buffer = chunk ??= Buffer.allocUnsafeSlow(1024 * 1024);
    }
    return { id, size, md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
  } catch (error) {
    return { id, error: { code: error.code, message: error.message } };
  } finally {
    if (fd !== undefined) try { closeSync(fd); } catch {}
  }
}
parentPort.on('message', ({ files, largeFrom }) => {
  parentPort.postMessage(files.map((file) => hash(file, largeFrom)));
});
`;

/** Files a worker may have waiting before the main thread hashes the next one itself. */
const BACKLOG = 256;
const FILES_BEFORE_WORKERS = 16;
/**
 * One worker per core (up to 4), not one per spare core: in a scan the main thread mostly waits for
 * the digests, and with one worker on 2 cores that worker was the bottleneck while the main thread
 * idled (bench/scan.mjs, 10,000 files: 1.77 s → 1.69 s with two).
 */
const WORKERS = Math.max(1, Math.min(4, availableParallelism()));

type Path = string | Buffer;
type Answer =
  | { id: number; size: number; md5: string; sha1: string; sha256: string }
  | { id: number; large: true }
  | { id: number; error: { code?: string; message: string } };

interface Request {
  path: Path;
  resolve(digest: FileDigest): void;
  reject(error: unknown): void;
}

class HashWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Request>();
  private unsent: { id: number; path: Path }[] = [];
  private broken = false;

  constructor(private readonly nextId: () => number) {
    // node:worker_threads loaded by the first walk that needs workers, not at start-up.
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    this.worker = new Worker(WORKER_SCRIPT, {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 },
    });
    this.worker.unref();
    this.worker.on('message', (answers: Answer[]) => this.settle(answers));
    this.worker.on('error', () => this.fallBack());
    this.worker.on('exit', () => this.fallBack());
  }

  /** Files sent and not answered yet. */
  get backlog(): number {
    return this.broken ? Number.POSITIVE_INFINITY : this.waiting.size;
  }

  hash(path: Path): Promise<FileDigest> {
    const id = this.nextId();
    return new Promise<FileDigest>((resolve, reject) => {
      this.waiting.set(id, { path, resolve, reject });
      if (this.unsent.length === 0) setImmediate(() => this.flush());
      this.unsent.push({ id, path });
      this.worker.ref();
    });
  }

  private flush(): void {
    if (this.broken || this.unsent.length === 0) return;
    this.worker.postMessage({ files: this.unsent, largeFrom: OFFLOAD_FROM_BYTES });
    this.unsent = [];
  }

  private settle(answers: Answer[]): void {
    for (const answer of answers) {
      const request = this.waiting.get(answer.id);
      if (!request) continue;
      this.waiting.delete(answer.id);
      if ('large' in answer) hashFile(request.path).then(request.resolve, request.reject);
      else if ('error' in answer)
        request.reject(Object.assign(new Error(answer.error.message), answer.error));
      else {
        const { size, md5, sha1, sha256 } = answer;
        request.resolve({ size, md5, sha1, sha256 });
      }
    }
    if (this.waiting.size === 0) this.worker.unref();
  }

  /** A worker that failed hands what it had to the main thread; nothing is lost or answered twice. */
  private fallBack(): void {
    if (this.broken) return;
    this.broken = true;
    this.unsent = [];
    for (const request of this.waiting.values()) hashFile(request.path).then(request.resolve, request.reject);
    this.waiting.clear();
  }
}

let pool: HashWorker[] | undefined;
let ids = 0;

/**
 * A file hasher for one walk: in place for its first files, then on workers while they keep up.
 * An interrupted walk's files still being hashed by a worker are dropped (`signal`).
 */
export function fileHasher(): (path: Path, signal?: AbortSignal) => Promise<FileDigest> {
  let seen = 0;
  return async (path, signal) => {
    seen++;
    if (seen <= FILES_BEFORE_WORKERS) return hashFile(path, { signal });
    signal?.throwIfAborted();
    pool ??= Array.from({ length: WORKERS }, () => new HashWorker(() => ++ids));
    const worker = pool.reduce((least, next) => (next.backlog < least.backlog ? next : least));
    if (worker.backlog >= BACKLOG) return hashFile(path, { signal });
    const digest = worker.hash(path);
    return signal ? abortable(digest, signal) : digest;
  };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
