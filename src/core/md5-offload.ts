import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';

/**
 * MD5 of a large file on a worker thread, while the caller computes SHA1 and SHA256 on its own.
 *
 * On one core OpenSSL does SHA1 and SHA256 at ~1.5 GiB/s each but MD5 at ~0.6 GiB/s: one thread
 * doing all three tops out near 345 MiB/s, while MD5 alone on a second core bounds the whole at
 * MD5's speed. Chunks go to the worker by transfer (no copy) and come back the same way for the
 * next read, so a lane's few buffers are all the memory a file of any size takes.
 *
 * The worker's code is a short script evaluated in place, not a file beside this one: the same
 * code runs from the built output and from the sources under test.
 */
const WORKER_SCRIPT = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
let md5 = createHash('md5');
parentPort.on('message', (message) => {
  if (message === 'digest') {
    parentPort.postMessage({ digest: md5.digest('hex') });
    md5 = createHash('md5');
    return;
  }
  md5.update(new Uint8Array(message.buffer, 0, message.length));
  parentPort.postMessage({ buffer: message.buffer }, [message.buffer]);
});
`;

/** Bytes per chunk, and chunks per lane: one being read, one being hashed here, one in the worker. */
export const LANE_CHUNK_BYTES = 1024 * 1024;
const LANE_CHUNKS = 3;
/** One worker per spare core, a few at most: each runs one file's MD5 at a time. */
const MAX_WORKERS = Math.max(1, Math.min(4, availableParallelism() - 1));

type Reply = { buffer: ArrayBuffer } | { digest: string };

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/** One worker, lent to one file at a time. */
export class Md5Lane {
  private readonly free: ArrayBuffer[] = [];
  private readonly waitingForBuffer: Waiter<ArrayBuffer>[] = [];
  private waitingForDigest: Waiter<string> | undefined;
  private failure: Error | undefined;

  constructor(private readonly worker: Worker) {
    for (let i = 0; i < LANE_CHUNKS; i++) this.free.push(new ArrayBuffer(LANE_CHUNK_BYTES));
    worker.on('message', (reply: Reply) => {
      if ('digest' in reply) {
        this.waitingForDigest?.resolve(reply.digest);
        this.waitingForDigest = undefined;
      } else {
        const waiter = this.waitingForBuffer.shift();
        if (waiter) waiter.resolve(reply.buffer);
        else this.free.push(reply.buffer);
      }
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', () => this.fail(new Error('the MD5 worker stopped')));
  }

  get broken(): boolean {
    return this.failure !== undefined;
  }

  /** A chunk to read into: free at once, or when the worker hands one back. */
  async take(): Promise<Buffer> {
    if (this.failure) throw this.failure;
    const ready =
      this.free.pop() ??
      (await new Promise<ArrayBuffer>((resolve, reject) => this.waitingForBuffer.push({ resolve, reject })));
    return Buffer.from(ready);
  }

  /** The first `length` bytes of `chunk` go into the MD5; the chunk is the worker's until it returns. */
  send(chunk: Buffer, length: number): void {
    const buffer = chunk.buffer as ArrayBuffer;
    this.worker.postMessage({ buffer, length }, [buffer]);
  }

  /** A chunk that was taken but not sent goes back to the lane. */
  giveBack(chunk: Buffer): void {
    this.free.push(chunk.buffer as ArrayBuffer);
  }

  /**
   * The MD5 of everything sent since the last digest; the lane starts afresh. Every chunk sent
   * before it is back when it resolves (the worker answers in order).
   */
  digest(): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    const digest = new Promise<string>((resolve, reject) => {
      this.waitingForDigest = { resolve, reject };
    });
    this.worker.postMessage('digest');
    return digest;
  }

  /** Idle lanes do not keep the process alive; a lane at work does (its answers are awaited). */
  hold(busy: boolean): void {
    if (busy) this.worker.ref();
    else this.worker.unref();
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const waiter of this.waitingForBuffer.splice(0)) waiter.reject(error);
    this.waitingForDigest?.reject(error);
    this.waitingForDigest = undefined;
  }
}

const idle: Md5Lane[] = [];
let workers = 0;

/**
 * A lane for one file, or undefined when every worker is busy (the caller then computes MD5
 * itself). Workers start on first use and stay, unreferenced, for the next large file.
 */
export function borrowMd5Lane(): Md5Lane | undefined {
  let lane = idle.pop();
  if (!lane && workers < MAX_WORKERS) {
    workers++;
    // node:worker_threads loaded by the first large file, not at start-up.
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    lane = new Md5Lane(
      new Worker(WORKER_SCRIPT, {
        eval: true,
        // The worker holds no objects of its own: a small heap keeps its memory small.
        resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 },
      }),
    );
  }
  lane?.hold(true);
  return lane;
}

/** Back to the pool once the file is done, with every chunk returned and the digest taken. */
export function returnMd5Lane(lane: Md5Lane): void {
  lane.hold(false);
  if (lane.broken) workers--;
  else idle.push(lane);
}
