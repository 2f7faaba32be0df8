/**
 * `schema.safeParse()` and `schema.parse()`, with zod's compiled fast path only for schemas in
 * frequent use.
 *
 * zod 4 parses an object through code it writes and `eval`s on that object schema's first parse
 * ("JIT"): quick from then on, but writing and compiling it costs far more than one plain parse
 * (~14 ms for the answers of a ten-service lookup, after they came). A lookup of one hash parses
 * each schema once; a batch parses one schema thousands of times. So the first WARM_PARSES parses
 * of each schema go without the fast path (`jitless`, zod's own option, same result), and the
 * ones after with it.
 */
import type { ZodType, z } from 'zod';

/** Parses of one schema before its fast path pays for itself. */
export const WARM_PARSES = 32;

const parses = new WeakMap<ZodType, number>();

/** zod's parse context for the next parse of `schema`: without the fast path while it is cold. */
function contextFor(schema: ZodType): { jitless: true } | undefined {
  const count = parses.get(schema) ?? 0;
  if (count >= WARM_PARSES) return undefined;
  parses.set(schema, count + 1);
  return { jitless: true };
}

export function safeParse<S extends ZodType>(schema: S, data: unknown): z.ZodSafeParseResult<z.output<S>> {
  return schema.safeParse(data, contextFor(schema));
}

/** Throws zod's error, as `schema.parse()`. */
export function parse<S extends ZodType>(schema: S, data: unknown): z.output<S> {
  return schema.parse(data, contextFor(schema));
}

/**
 * Whether a module's export is a zod schema, told without zod's own classes: the modules that ask
 * are on the path to a lookup's requests, which go out before zod is loaded.
 */
export function isSchema(value: unknown): value is ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value && 'safeParse' in value;
}

/**
 * zod's lazy set-up of an object schema (its shape normalised, its keys listed), done by parsing
 * `{}` once without the fast path, for the schema and every object schema inside it: `{}` alone
 * reaches only the objects it requires, and most of a vendor's answer is optional. Not counted as
 * a parse: done while a lookup waits for its answer, it spares the answer that work when it comes.
 */
export function warmUp(schema: ZodType): void {
  for (const inner of schemasWithin(schema)) {
    if (defOf(inner).type !== 'object') continue;
    try {
      inner.safeParse({}, { jitless: true });
    } catch {
      // A transform that does not expect `{}` threw: what was set up by then is set up all the same.
    }
  }
}

type Def = Record<string, unknown> & { type?: string };

function defOf(schema: ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/**
 * The schema and the schemas its definition holds, each once, depth first: an object's shape and
 * catch-all, what an optional, nullable, catch or pipe wraps, a list's item, a union's options…
 * A getter that throws (a recursive shape not defined yet) hides only its own branch.
 */
function schemasWithin(root: ZodType): ZodType[] {
  const found: ZodType[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (isSchema(value)) {
      found.push(value);
      for (const part of partsOf(defOf(value))) visit(part);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (Object.getPrototypeOf(value) === Object.prototype) {
      // A shape: its values are schemas.
      for (const item of partsOf(value as Record<string, unknown>)) visit(item);
    }
  };
  visit(root);
  return found;
}

function partsOf(record: Record<string, unknown>): unknown[] {
  const parts: unknown[] = [];
  for (const key of Object.keys(record)) {
    try {
      parts.push(record[key]);
    } catch {
      // a getter that cannot answer yet
    }
  }
  return parts;
}
