/**
 * Batch inputs as streams of targets: directory walks (files hashed one at a time, never collected
 * first) and hash lists (one hash per line, read line by line). Problems with one entry are reported
 * through `onWarning` or as a per-target error, and the rest goes on.
 */
import { createReadStream, type Dirent } from 'node:fs';
import { lstat, opendir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import picomatch from 'picomatch';
import { InputError } from '../errors.js';
import type { Target } from '../normalize/model.js';
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
}

/** `10M`, `512k`, `2G`, `1000` (bytes). */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!match) throw new InputError(`--max-size: expected a size like 500k, 10M or 2G, got "${text}"`);
  const power = ' kmgt'.indexOf((match[2] || ' ').toLowerCase());
  return Math.floor(Number(match[1]) * 1024 ** power);
}

/** Files named on the command line and the files below directories named there. */
export async function* walkPaths(paths: readonly string[], options: WalkOptions): AsyncGenerator<BatchItem> {
  const include = globMatcher(options.include);
  const exclude = globMatcher(options.exclude);
  const skipped = { symlinks: 0, special: 0 };

  async function* file(path: string, size: number): AsyncGenerator<BatchItem> {
    if (options.maxSize !== undefined && size > options.maxSize) {
      options.onWarning(`${path}: skipped, ${size} bytes is over --max-size`);
      return;
    }
    try {
      const digest = await hashFile(path, options.signal);
      options.onHashed?.(path);
      yield { target: { path, ...digest } };
    } catch (error) {
      if (options.signal?.aborted) return;
      yield { target: emptyFileTarget(path), error: { code: 'unreadable', message: describeFsError(error) } };
    }
  }

  async function* directory(
    root: string,
    dir: string,
    ancestors: ReadonlySet<string>,
  ): AsyncGenerator<BatchItem> {
    let handle: AsyncIterable<Dirent>;
    try {
      handle = await opendir(dir, { bufferSize: 64 });
    } catch (error) {
      yield { target: emptyFileTarget(dir), error: { code: 'unreadable', message: describeFsError(error) } };
      return;
    }
    for await (const entry of handle) {
      if (options.signal?.aborted) return;
      const path = join(dir, entry.name);
      const rel = relative(root, path).split(sep).join('/');
      let kind: Dirent | Awaited<ReturnType<typeof stat>> = entry;
      if (entry.isSymbolicLink()) {
        if (!options.followSymlinks) {
          skipped.symlinks++;
          continue;
        }
        try {
          kind = await stat(path);
        } catch (error) {
          options.onWarning(`${path}: broken symlink skipped (${describeFsError(error)})`);
          continue;
        }
      }
      if (kind.isDirectory()) {
        if (!options.recursive || exclude?.(rel)) continue;
        const id = await directoryId(path);
        if (id === undefined || ancestors.has(id)) {
          options.onWarning(`${path}: symlink loop, not followed again`);
          continue;
        }
        yield* directory(root, path, new Set([...ancestors, id]));
      } else if (kind.isFile()) {
        if (exclude?.(rel) || (include && !include(rel))) continue;
        const size = 'size' in kind ? Number(kind.size) : await fileSize(path);
        yield* file(path, size ?? 0);
      } else {
        // FIFOs, sockets and devices: opening one could block forever or read without end.
        skipped.special++;
        options.onWarning(`${path}: skipped, not a regular file (FIFO, socket or device)`);
      }
    }
  }

  for (const path of paths) {
    if (options.signal?.aborted) return;
    // A path the user named is followed even if it is a symlink (like `find -H`).
    const info = await stat(path).catch((error: unknown) => {
      throw new InputError(`${path}: ${describeFsError(error)}`, { cause: error });
    });
    if (info.isDirectory()) {
      const id = await directoryId(path);
      yield* directory(path, path, new Set(id ? [id] : []));
    } else if (info.isFile()) {
      yield* file(path, info.size);
    } else {
      options.onWarning(`${path}: skipped, not a regular file (FIFO, socket or device)`);
    }
  }
  if (skipped.symlinks > 0) {
    options.onWarning(`skipped ${skipped.symlinks} symlink(s) (--follow-symlinks follows them)`);
  }
}

/** Checks every named path up front, so a typo fails before any quota is spent. */
export async function checkPathsExist(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    await lstat(path).catch((error: unknown) => {
      throw new InputError(`${path}: ${describeFsError(error)}`, { cause: error });
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
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
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
      const label = /^"([^"]*)"$/.exec(rest)?.[1] ?? rest;
      if (label) target.name = label;
      yield { target };
    } catch (error) {
      options.onWarning(`${options.source}:${number}: ${(error as Error).message}`);
    }
  }
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

async function directoryId(path: string): Promise<string | undefined> {
  try {
    const info = await stat(await realpath(path));
    return `${info.dev}:${info.ino}`;
  } catch {
    return undefined;
  }
}

async function fileSize(path: string): Promise<number | undefined> {
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
