/** Paths as the file system takes them, shown as a person can read them, and its errors in words. */
import { join, sep } from 'node:path';

/** A path as the file system takes it: a string, or bytes below a name that is not UTF-8. */
export type FsPath = string | Buffer;

export function childPath(dir: FsPath, name: string | Buffer): FsPath {
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

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many symlinks';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return error instanceof Error ? error.message : String(error);
}
