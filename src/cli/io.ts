import type { Readable } from 'node:stream';
import { hangingWrap, terminalSafe } from '../render/terminal-text.js';

/** Everything the CLI touches outside itself, so tests drive it with fakes instead of module mocks. */
export interface OutputStream {
  /** `false`: queued, not written yet (the reader is behind); 'drain' says when it has caught up. */
  write(chunk: string): unknown;
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
  columns?: number;
  /** Redraws the one-line status (progress) in place; '' wipes it. Only on a `terminalLines` stream. */
  status?(line: string): void;
}

/**
 * stderr as the CLI writes to it: whatever a message quotes (a file name, a vendor's words, a config
 * value) reaches the terminal with its control and bidi characters made visible; only the CLI's own
 * line ends pass, and the progress line's redraw goes through `status`.
 */
export function terminalLines(stream: OutputStream): OutputStream {
  // On a terminal a long message wraps at word boundaries with an indent; a log keeps one line each.
  const width = stream.isTTY && stream.columns ? stream.columns : 0;
  const fitLine = (line: string) => (width > 20 ? hangingWrap(line, width).join('\n') : line);
  // A message printed while the progress line is up wipes it first and draws it again below, so
  // the two never share a line ("12/40 targets · 3 lookups doneti-check: warning …").
  let status = '';
  return {
    isTTY: stream.isTTY,
    columns: stream.columns,
    write: (chunk) => {
      const text = chunk
        .split('\n')
        .map((line) => fitLine(terminalSafe(line)))
        .join('\n');
      return stream.write(status ? `\r\u001b[K${text}\r\u001b[K${status}` : text);
    },
    status: (line) => {
      status = terminalSafe(line);
      return stream.write(`\r\u001b[K${status}`);
    },
  };
}

/** Lines gathered into few large writes: a write per line costs a system call each. */
export interface CoalescedOutput {
  write(chunk: string): void;
  /** Writes what is gathered now. */
  flush(): void;
  /** Flushes (or, with `discard`, drops what is gathered: nobody reads it any more) and stops. */
  close(options?: { discard?: boolean }): void;
  /**
   * While the reader is behind: settles once it has caught up (or `signal` aborts). Whoever makes
   * the lines waits for it, so that they do not pile up in memory. Otherwise undefined.
   */
  ready(): Promise<void> | undefined;
}

/** Written once this much is gathered… */
const COALESCE_CHARS = 256 * 1024;
/** …or this long after the oldest line gathered: a slow run's lines still appear as they come. */
const COALESCE_MS = 75;

/**
 * `beforeFlush` runs before each write: the cache commits the answers about to be printed, the
 * progress line is wiped.
 */
export function coalescedOutput(
  stream: OutputStream,
  options: { beforeFlush?(): void; maxChars?: number; maxDelayMs?: number; signal?: AbortSignal } = {},
): CoalescedOutput {
  const maxChars = options.maxChars ?? COALESCE_CHARS;
  const maxDelayMs = options.maxDelayMs ?? COALESCE_MS;
  const { signal } = options;
  let gathered = '';
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let behind: Promise<void> | undefined;
  const waitForDrain = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        behind = undefined;
        signal?.removeEventListener('abort', done);
        resolve();
      };
      stream.once?.('drain', done);
      // `| head` went away, or Ctrl-C: there may never be a 'drain'.
      signal?.addEventListener('abort', done, { once: true });
    });
  const flush = () => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (gathered === '') return;
    options.beforeFlush?.();
    const text = gathered;
    gathered = '';
    const queued = stream.write(text) === false;
    if (queued && stream.once && !behind && !signal?.aborted) behind = waitForDrain();
  };
  return {
    write(chunk) {
      if (closed) return;
      gathered += chunk;
      if (gathered.length >= maxChars) flush();
      else if (!timer) timer = setTimeout(flush, maxDelayMs);
    },
    flush,
    close({ discard = false } = {}) {
      if (discard) gathered = '';
      flush();
      closed = true;
    },
    ready: () => behind,
  };
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * Where `-` and `--hash-file -` read hashes from, made when first asked for: Node's
   * `process.stdin` is built at first use (for a file or /dev/null with Node's file streams,
   * ~1.5 ms), and a run that reads no hashes from it never asks.
   */
  stdin?: () => Readable;
  /** Ctrl-C. */
  signal?: AbortSignal;
  /** Opens a vendor page in the browser (`--open`). */
  openUrl(url: string): Promise<void>;
  /** Arguments that are not UTF-8, as Node decoded them (with U+FFFD) → their raw bytes. */
  rawArgs?: ReadonlyMap<string, Buffer>;
  /** Takes variables that hold keys out of the process environment, before plugins load. */
  hideVariables?(names: readonly string[]): void;
  /** Told when the run turns out to be the check command, whose compiled code the CLI keeps whole. */
  onCheckCommand?(): void;
}

/**
 * Node decodes argv as UTF-8 and replaces what is not with U+FFFD, so a file name in another encoding
 * cannot be opened from `process.argv`. On Linux the raw bytes are in /proc/self/cmdline: this maps
 * each lossy argument to them (empty elsewhere, or when the two do not line up).
 */
export function rawArguments(args: readonly string[], cmdline: () => Buffer): Map<string, Buffer> {
  const raw = new Map<string, Buffer>();
  if (!args.some((arg) => arg.includes('\uFFFD'))) return raw;
  let parts: Buffer[];
  try {
    const bytes = cmdline();
    parts = [];
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) {
        parts.push(bytes.subarray(start, i));
        start = i + 1;
      }
    }
  } catch {
    return raw;
  }
  const tail = parts.slice(parts.length - args.length);
  if (tail.length !== args.length) return raw;
  args.forEach((arg, i) => {
    const bytes = tail[i] as Buffer;
    // Only where the bytes really are this argument, decoded lossily.
    if (arg.includes('\uFFFD') && bytes.toString('utf8') === arg && !Buffer.from(arg).equals(bytes))
      raw.set(arg, bytes);
  });
  return raw;
}

/**
 * `--color` / `--no-color` win over NO_COLOR, FORCE_COLOR and the terminal: the commands see them as
 * the environment variable that says the same, so every renderer decides colour in one place.
 */
export function withColor(io: CliIo, color: boolean | undefined): CliIo {
  if (color === undefined) return io;
  const env = { ...io.env };
  if (color) {
    delete env.NO_COLOR;
    env.FORCE_COLOR = '1';
  } else {
    env.NO_COLOR = '1';
  }
  return { ...io, env };
}
