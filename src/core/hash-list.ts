/** Hash lists as a stream of targets: one hash per line, read a chunk at a time, never collected first. */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
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
 *
 * The targets come in batches, one per chunk of input (a few thousand lines at most), not one by
 * one: a line's trip through a chain of async iterators cost a 30,000-hash batch more than parsing
 * it. A line ends at `\n`, `\r\n` or a lone `\r`, as readline reads it.
 *
 * A line longer than MAX_LINE_CHARS (a binary file given by mistake, a list without line ends) is
 * reported by number and skipped as it streams past: never held whole, however long it is.
 */
export async function* readHashList(input: Readable, options: HashListOptions): AsyncGenerator<BatchItem[]> {
  let stopped = false;
  // Destroying the input ends the reading, and lets the process exit with stdin still open.
  const stop = () => {
    stopped = true;
    input.destroy();
  };
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  const parser = new HashLineParser(options);
  try {
    const decoder = new StringDecoder('utf8');
    let rest = '';
    // Inside a line that was too long: what comes is dropped up to its end.
    let skipping = false;
    try {
      for await (const chunk of input as AsyncIterable<string | Buffer>) {
        if (stopped) return;
        let text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
        rest = '';
        if (skipping) {
          const end = LINE_END.exec(text);
          // Still inside it; a `\r` that ends the chunk may be the first half of a `\r\n`: kept.
          if (!end || (end[0] === '\r' && end.index === text.length - 1)) {
            if (end) rest = '\r';
            continue;
          }
          skipping = false;
          text = text.slice(end.index + end[0].length);
        }
        // A `\r` that ends the chunk may be the first half of a `\r\n`: left for the next one.
        const last = text.endsWith('\r') ? text.length - 2 : text.length - 1;
        const cut = last < 0 ? -1 : Math.max(text.lastIndexOf('\n', last), text.lastIndexOf('\r', last));
        if (cut >= 0) {
          const lines = text.slice(0, cut + 1).split(LINE_END);
          lines.pop(); // the empty string after the last line's end
          const items = parser.parse(lines);
          if (items.length > 0) yield items;
        }
        rest = text.slice(cut + 1);
        if (rest.length > MAX_LINE_CHARS) {
          parser.skipLongLine();
          rest = '';
          skipping = true;
        }
      }
    } catch (error) {
      // Destroyed by `stop`: the end of the list, not an error.
      if (stopped) return;
      throw error;
    }
    if (stopped || skipping) return;
    const lines = (rest + decoder.end()).split(LINE_END);
    if (lines.at(-1) === '') lines.pop();
    const items = parser.parse(lines);
    if (items.length > 0) yield items;
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

const LINE_END = /\r\n|\r|\n/;
/** Longer than any `<hash> <file name>` line: 64 Ki characters. */
export const MAX_LINE_CHARS = 64 * 1024;

/** Lines into targets, numbered across the whole list (for warnings, and the CSV header rule). */
class HashLineParser {
  #number = 0;
  constructor(private readonly options: HashListOptions) {}

  /** The next line is too long to read: counted, reported, skipped. */
  skipLongLine(): void {
    this.#reportLong(++this.#number);
  }

  #reportLong(number: number): void {
    this.options.onWarning(
      `${this.options.source}:${number}: line longer than ${MAX_LINE_CHARS.toLocaleString('en-US')} characters, skipped`,
    );
  }

  parse(lines: readonly string[]): BatchItem[] {
    const items: BatchItem[] = [];
    for (const raw of lines) {
      const number = ++this.#number;
      // Whole in one chunk, but as long as one that streams past: the same answer.
      if (raw.length > MAX_LINE_CHARS) {
        this.#reportLong(number);
        continue;
      }
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
        items.push({ target });
      } catch (error) {
        this.options.onWarning(`${this.options.source}:${number}: ${(error as Error).message}`);
      }
    }
    return items;
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
