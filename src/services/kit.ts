/**
 * Small pieces every adapter needs: joining detail text, counting nouns, linking the SHA-256 page,
 * reading a body that may not be JSON, loading an adapter's schemas. The lenient zod shapes its schemas
 * repeat are in ./schema-kit.ts: this module is on the path to every request, and imports no zod.
 */
import { loadSoon } from '../load-soon.js';
import type { HashRef } from '../model/report.js';
import { isSchema, warmUp } from '../model/safe-parse.js';
import type { Finding } from './types.js';

type Part = string | false | null | undefined;

/** The non-empty parts joined with ` · `; `''` when there are none. */
export function joinParts(...parts: Part[]): string {
  return parts.filter(Boolean).join(' · ');
}

/** The non-empty parts joined with ` · `, or null when there are none: an entry's `detail`. */
export function joinDetail(...parts: Part[]): string | null {
  return joinParts(...parts) || null;
}

/** `1 alert`, `2 alerts`, `0 alerts`. */
export function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`;
}

/** `family: a, b` for a non-empty list, else null (a `joinParts` part). */
export function labelled(label: string, values: readonly string[]): string | null {
  return values.length > 0 ? `${label}: ${values.join(', ')}` : null;
}

/** The values without repeats, first occurrence first. */
export function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/**
 * For a vendor whose pages are keyed by SHA-256: asked by MD5 or SHA-1, the finding links the page of
 * the SHA-256 the answer names (`service.link` can only build it from the hash asked). Spread it into
 * the finding: `{ ...finding, ...sha256Link(hash, answer.sha256, page) }`; `{}` when asked by SHA-256
 * or the answer names none. `sha256` is passed to `page` as given.
 */
export function sha256Link(
  asked: HashRef,
  sha256: string | null | undefined,
  page: (sha256: string) => string,
): Pick<Finding, 'link'> {
  return asked.type !== 'sha256' && sha256 ? { link: page(sha256) } : {};
}

/** The body parsed as JSON, or undefined when it is not JSON (an HTML error page, plain text). */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * An adapter's schema module, loaded by the first call and kept. Adapters load their zod schemas
 * so: start-up builds none (each is a chunk of its own), and a batch does not pay `import()`'s
 * ~5 µs a call through the ESM loader on every lookup.
 *
 * The first load is a `loadSoon` (../load-soon.ts): an adapter asks for its schemas, sends its
 * request, then awaits them, so that every service's request goes out before any chunk is compiled.
 * Then, in a turn of its own, each schema the module exports is warmed up (`warmUp`): the ~5 ms of
 * zod's lazy set-up that a ten-service lookup otherwise spent after its answers came.
 */
export function loadSchemas<T extends object>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    if (!loaded) {
      loaded = loadSoon(load);
      // Awaited after the request: if that failed first, a failed load is nobody's unhandled rejection.
      loaded.catch(() => {});
      loaded.then((module) => loadSoon(async () => warmUpAll(module))).catch(() => {});
    }
    return loaded;
  };
}

function warmUpAll(module: object): void {
  for (const value of Object.values(module)) if (isSchema(value)) warmUp(value);
}
