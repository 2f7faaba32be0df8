/**
 * Batch inputs as streams of targets: directory walks (a few files hashed at once, in walk order,
 * never collected first) and hash lists (one hash per line, read line by line). Problems with one entry are reported
 * through `onWarning` or as a per-target error, and the rest goes on.
 */
import { createReadStream, type Dirent } from 'node:fs';
import { lstat, opendir, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import picomatch from 'picomatch';
import { InputError } from '../errors.js';
import type { Target } from '../model/report.js';
import { hashFile } from './hash.js';
import { parseHash, targetFromHash } from './targets.js';

/** One target of a batch; `error` when it could not be checked at all (an unreadable file). */
export interface BatchItem {
  target: Target;
  error?: { code: string; message: string };
}

export interface WalkOptions {
  recursive: boolean;
  followSymlinks: boolean;
  include: readonly string[];
  exclude: readonly string[];
  /** Bytes; larger files are skipped with a warning. */
  maxSize?: number;
  signal?: AbortSignal;
  onWarning(message: string): void;
  /** Called after each file is hashed (progress). */
  onHashed?(path: string): void;
  /** Files read and hashed at once (default FILES_IN_FLIGHT); 1: each file after the last is done. */
  filesInFlight?: number;
}

/** Files of a directory walk read and hashed at once. */
const FILES_IN_FLIGHT = 8;

/** `10M`, `512k`, `2G`, `1000` (bytes). */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!match) throw new InputError(`--max-size: expected a size like 500k, 10M or 2G, got "${text}"`);
  const power = ' kmgt'.indexOf((match[2] || ' ').toLowerCase());
  return Math.floor(Number(match[1]) * 1024 ** power);
}

/**
 * Files named on the command line and the files below directories named there. A path given as
 * bytes (a name that is not UTF-8, recovered from the raw command line) is opened as bytes and shown
 * with its odd bytes escaped.
 */
export async function* walkPaths(paths: readonly FsPath[], options: WalkOptions): AsyncGenerator<BatchItem> {
  const include = globMatcher(options.include);
  const exclude = globMatcher(options.exclude);
  const skipped = { symlinks: 0, special: 0 };

  /**
   * A file being hashed, started when the walk met it, handed on in walk order. Wrapped: an async
   * generator would wait for a promise it yields. `item` never rejects (a file that cannot be read
   * is an item with an error; one cut short by Ctrl-C is no item).
   */
  type Pending = { item: Promise<BatchItem | undefined> };

  async function hashed(path: string, fsPath: FsPath): Promise<BatchItem | undefined> {
    try {
      const digest = await hashFile(fsPath, options.signal);
      options.onHashed?.(path);
      return { target: { path, ...digest } };
    } catch (error) {
      if (options.signal?.aborted) return undefined;
      return {
        target: emptyFileTarget(path),
        error: { code: 'unreadable', message: describeFsError(error) },
      };
    }
  }

  /**
   * `path` is what the report shows; `fsPath` opens the file (bytes, for a name that is not UTF-8).
   * `size`: known from a stat already, or undefined (looked up only when --max-size needs it).
   */
  async function* file(
    path: string,
    size: number | undefined,
    fsPath: FsPath = path,
  ): AsyncGenerator<Pending> {
    if (options.maxSize !== undefined) {
      const bytes = size ?? (await fileSize(fsPath)) ?? 0;
      if (bytes > options.maxSize) {
        options.onWarning(`${path}: skipped, ${bytes} bytes is over --max-size`);
        return;
      }
    }
    yield { item: hashed(path, fsPath) };
  }

  async function* entry(
    root: string,
    path: string,
    fsPath: FsPath,
    kind: Dirent | Dirent<Buffer>,
    ancestors: ReadonlySet<string>,
  ): AsyncGenerator<Pending> {
    const rel = relative(root, path).split(sep).join('/');
    let info: { isDirectory(): boolean; isFile(): boolean; size?: number | bigint } = kind;
    if (kind.isSymbolicLink()) {
      if (!options.followSymlinks) {
        skipped.symlinks++;
        return;
      }
      try {
        info = await stat(fsPath);
      } catch (error) {
        options.onWarning(`${path}: broken symlink skipped (${describeFsError(error)})`);
        return;
      }
    }
    if (info.isDirectory()) {
      if (!options.recursive || exclude?.(rel)) return;
      const id = await directoryId(fsPath);
      if (id === undefined || ancestors.has(id)) {
        options.onWarning(`${path}: symlink loop, not followed again`);
        return;
      }
      yield* directory(root, path, fsPath, new Set([...ancestors, id]));
    } else if (info.isFile()) {
      if (exclude?.(rel) || (include && !include(rel))) return;
      yield* file(path, info.size !== undefined ? Number(info.size) : undefined, fsPath);
    } else {
      // FIFOs, sockets and devices: opening one could block forever or read without end.
      skipped.special++;
      options.onWarning(`${path}: skipped, not a regular file (FIFO, socket or device)`);
    }
  }

  async function* directory(
    root: string,
    dir: string,
    fsDir: FsPath,
    ancestors: ReadonlySet<string>,
  ): AsyncGenerator<Pending> {
    let handle: AsyncIterable<Dirent>;
    try {
      handle = await opendir(fsDir, { bufferSize: 64 });
    } catch (error) {
      const item = {
        target: emptyFileTarget(dir),
        error: { code: 'unreadable', message: describeFsError(error) },
      };
      yield { item: Promise.resolve(item) };
      return;
    }
    let undecodable = false;
    for await (const item of handle) {
      if (options.signal?.aborted) return;
      // A name that is not UTF-8 arrives with U+FFFD in it and could not be opened: it is read
      // again below, as bytes.
      if (item.name.includes('\uFFFD')) {
        undecodable = true;
        continue;
      }
      yield* entry(root, join(dir, item.name), childPath(fsDir, item.name), item, ancestors);
    }
    if (!undecodable) return;
    for (const item of await readdir(fsDir, { withFileTypes: true, encoding: 'buffer' })) {
      if (options.signal?.aborted) return;
      if (!item.name.toString('utf8').includes('\uFFFD')) continue;
      yield* entry(root, join(dir, displayName(item.name)), childPath(fsDir, item.name), item, ancestors);
    }
  }

  async function* walk(): AsyncGenerator<Pending> {
    for (const fsPath of paths) {
      if (options.signal?.aborted) return;
      const path = typeof fsPath === 'string' ? fsPath : displayName(fsPath);
      // A path the user named is followed even if it is a symlink (like `find -H`).
      const info = await stat(fsPath).catch((error: unknown) => {
        throw new InputError(`${path}: ${describeFsError(error)}`, { cause: error });
      });
      if (info.isDirectory()) {
        const id = await directoryId(fsPath);
        yield* directory(path, path, fsPath, new Set(id ? [id] : []));
      } else if (info.isFile()) {
        yield* file(path, info.size, fsPath);
      } else {
        options.onWarning(`${path}: skipped, not a regular file (FIFO, socket or device)`);
      }
    }
  }

  // Several files in flight: while one is hashed the next ones are being opened and read. Handed on
  // in the order of the walk, as one at a time would.
  const inFlight: Pending[] = [];
  const limit = Math.max(1, options.filesInFlight ?? FILES_IN_FLIGHT);
  for await (const pending of walk()) {
    inFlight.push(pending);
    if (inFlight.length < limit) continue;
    const item = await inFlight.shift()?.item;
    if (item) yield item;
  }
  for (let pending = inFlight.shift(); pending; pending = inFlight.shift()) {
    const item = await pending.item;
    if (item) yield item;
  }
  if (skipped.symlinks > 0) {
    options.onWarning(`skipped ${skipped.symlinks} symlink(s) (--follow-symlinks follows them)`);
  }
}

/** Checks every named path up front, so a typo fails before any quota is spent. */
export async function checkPathsExist(paths: readonly FsPath[]): Promise<void> {
  for (const path of paths) {
    await lstat(path).catch((error: unknown) => {
      const shown = typeof path === 'string' ? path : displayName(path);
      throw new InputError(`${shown}: ${describeFsError(error)}`, { cause: error });
    });
  }
}

export interface HashListOptions {
  /** Shown in warnings: the file name, or `stdin`. */
  source: string;
  /** Ctrl-C: stop reading at once, even while waiting for a producer that is still connected. */
  signal?: AbortSignal;
  onWarning(message: string): void;
}

/**
 * `<hash> [label]` per line; blank lines and `#` comments are allowed. An invalid line is reported
 * with its number and skipped. The hash may also end at a comma or semicolon, and be quoted, so a
 * CSV export whose first column is the hash (an EDR, a spreadsheet) reads as it is, header and all.
 */
export async function* readHashList(input: Readable, options: HashListOptions): AsyncGenerator<BatchItem> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  // Closing ends the line iteration; destroying the input lets the process exit with stdin still open.
  const stop = () => {
    lines.close();
    input.destroy();
  };
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    yield* parseHashLines(lines, options);
  } catch (error) {
    // A directory, a file that vanished or a device error: the user's input, one line and exit 2.
    if ((error as NodeJS.ErrnoException).code) {
      throw new InputError(`${options.source}: ${describeFsError(error)}`, { cause: error });
    }
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}

async function* parseHashLines(
  lines: AsyncIterable<string>,
  options: HashListOptions,
): AsyncGenerator<BatchItem> {
  let number = 0;
  for await (const raw of lines) {
    number++;
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    // GNU `sha256sum` escapes a name holding a backslash or a line break and marks the line with `\`.
    const escaped = /^\\[0-9a-f]/i.test(line);
    if (escaped) line = line.slice(1);
    const first = line.split(/[\s,;]/, 1)[0] ?? '';
    const hash = /^"(.*)"$/.exec(first)?.[1] ?? first;
    // A first line whose first field is not even hexadecimal ("md5", "SHA-256") is a CSV header.
    if (number === 1 && !/^[0-9a-f]+$/i.test(hash)) continue;
    try {
      const target = targetFromHash(parseHash(hash));
      const rest = line
        .slice(first.length)
        .replace(/^[\s,;]+/, '')
        .trim();
      // `<hash> *name`: the binary-mode mark of sha256sum, not part of the name.
      const binary = line.startsWith(`${first} *`);
      const label = checksumName(/^"([^"]*)"$/.exec(rest)?.[1] ?? rest, binary, escaped);
      if (label) target.name = label;
      yield { target };
    } catch (error) {
      options.onWarning(`${options.source}:${number}: ${(error as Error).message}`);
    }
  }
}

/** The name part of a `sha256sum` line: without its binary-mode mark, unescaped if the line was. */
function checksumName(label: string, binary: boolean, escaped: boolean): string {
  const name = binary ? label.slice(1) : label;
  return escaped ? name.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c)) : name;
}

export function openHashList(path: string): Readable {
  return createReadStream(path, { encoding: 'utf8' });
}

/**
 * Globs against the path below the walked directory; a pattern without `/` matches the file or
 * folder name at any depth (`*.exe`), one with `/` the whole relative path (`vendor/**`).
 */
function globMatcher(patterns: readonly string[]): ((rel: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined;
  const matchers = patterns.map((p) => {
    const match = picomatch(p, { dot: true });
    return p.includes('/') ? match : (rel: string) => match(rel.slice(rel.lastIndexOf('/') + 1));
  });
  return (rel) => matchers.some((m) => m(rel));
}

function emptyFileTarget(path: string): Target {
  return { path, size: null, md5: null, sha1: null, sha256: null };
}

/** A path as the file system takes it: a string, or bytes below a name that is not UTF-8. */
export type FsPath = string | Buffer;

function childPath(dir: FsPath, name: string | Buffer): FsPath {
  if (typeof dir === 'string' && typeof name === 'string') return join(dir, name);
  return Buffer.concat([Buffer.from(dir), Buffer.from(sep), Buffer.from(name)]);
}

/**
 * A file name that is not valid UTF-8, shown losslessly: every byte that is not part of a valid
 * UTF-8 sequence as `\xNN` (the terminal gate escapes any control character that remains).
 */
export function displayName(bytes: Buffer): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    if (length > 0) {
      out += bytes.subarray(i, i + length).toString('utf8');
      i += length;
    } else {
      out += `\\x${(bytes[i] ?? 0).toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

/** The length of the valid UTF-8 sequence at `i`, or 0. */
function utf8SequenceLength(bytes: Buffer, i: number): number {
  const first = bytes[i] ?? 0;
  const length =
    first < 0x80
      ? 1
      : first >= 0xc2 && first <= 0xdf
        ? 2
        : first >= 0xe0 && first <= 0xef
          ? 3
          : first >= 0xf0 && first <= 0xf4
            ? 4
            : 0;
  if (length <= 1) return length;
  const sequence = bytes.subarray(i, i + length);
  if (sequence.length < length) return 0;
  const decoded = sequence.toString('utf8');
  // One code point that encodes back to the same bytes: valid (no overlong form, no surrogate).
  return [...decoded].length === 1 && !decoded.includes('\uFFFD') && Buffer.from(decoded).equals(sequence)
    ? length
    : 0;
}

async function directoryId(path: FsPath): Promise<string | undefined> {
  try {
    const info = await stat(await realpath(path));
    return `${info.dev}:${info.ino}`;
  } catch {
    return undefined;
  }
}

async function fileSize(path: FsPath): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many symlinks';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return error instanceof Error ? error.message : String(error);
}
