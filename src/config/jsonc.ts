/**
 * JSON config files may carry comments (`// …` and `/* … *\/`), as the starter config `ti-check init`
 * writes does. They are blanked out — same lines, same columns — before the JSON parser sees the
 * text, so its error messages still point at the right place.
 */

export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    const next = text[i + 1];
    if (char === '"') {
      // A string, escapes included, copied as it is.
      let end = i + 1;
      while (end < text.length && text[end] !== '"' && text[end] !== '\n') {
        end += text[end] === '\\' ? 2 : 1;
      }
      out += text.slice(i, end + 1);
      i = end + 1;
    } else if (char === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out += blank(text.slice(i, stop));
      i = stop;
    } else if (char === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += blank(text.slice(i, stop));
      i = stop;
    } else {
      out += char;
      i++;
    }
  }
  return out;
}

/** Spaces for every character but line ends. */
function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}
