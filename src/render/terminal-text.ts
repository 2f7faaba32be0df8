/**
 * The one gate between outside text and a terminal. Vendor strings (engine names, signatures,
 * error bodies), file names and config values are hostile: an escape sequence can clear the screen,
 * retitle the window or plant a link, CR and BS can overwrite what was printed, and a bidi override
 * makes `exe.txt` read as `txt.exe`. Every such character is shown as a visible escape instead.
 * JSON, CSV, HTML, Markdown and SARIF escape for their own media; this is for the table and stderr.
 */

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b' };

/** C0 and C1 controls, DEL, bidi controls, zero-width and line/paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what must not pass.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function visible(char: string): string {
  return NAMED[char] ?? `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}

/** `text` with every control, bidi and invisible formatting character made visible. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** A copy of `value` with every string in it made terminal-safe (plain data: objects, arrays). */
export function terminalSafeDeep<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map((item) => terminalSafeDeep(item)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = terminalSafeDeep(item);
    return out as T;
  }
  return value;
}

/**
 * Wraps at spaces; a word longer than the line (a hash, a path) is split across lines, never cut,
 * so both of its ends stay on screen to copy.
 */
export function wrap(text: string, width: number): string[] {
  const max = Math.max(1, width);
  const lines: string[] = [];
  let line: string[] = [];
  for (const word of text.split(' ')) {
    const chars = [...word];
    if (line.length > 0 && line.length + 1 + chars.length <= max) {
      line.push(' ', ...chars);
      continue;
    }
    if (line.length > 0) lines.push(line.join(''));
    let rest = chars;
    while (rest.length > max) {
      lines.push(rest.slice(0, max).join(''));
      rest = rest.slice(max);
    }
    line = rest;
  }
  lines.push(line.join(''));
  return lines;
}

/** Wrapped to `width` with every line after the first indented by `indent` spaces. */
export function hangingWrap(text: string, width: number, indent = 2): string[] {
  if ([...text].length <= width) return [text];
  const pad = ' '.repeat(indent);
  return wrap(text, width - indent).map((line, i) => (i === 0 ? line : pad + line));
}

/** `https://www.virustotal.com/gui/fi…2c4538aabf651fd0f`: both ends kept, the middle cut to fit. */
export function elideMiddle(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  const keep = Math.max(2, width - 1);
  const head = Math.ceil(keep / 2);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (keep - head)).join('')}`;
}
