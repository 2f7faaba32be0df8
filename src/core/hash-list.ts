/** Hash lists as a stream of targets: one hash per line, read line by line, never collected first. */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { InputError } from '../errors.js';
import type { BatchItem } from './batch-item.js';
import { describeFsError } from './fs-path.js';
import { parseHash, targetFromHash } from './targets.js';

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
  const lines = process
    .getBuiltinModule('node:readline')
    .createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
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
