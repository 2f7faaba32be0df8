/**
 * The lenient zod shapes vendor schemas repeat. Apart from ./kit.ts so that only the schema modules,
 * loaded once the requests are out, import zod: a lookup sends before zod is loaded.
 */
import { z } from 'zod';

/**
 * Decoration: the value when it fits `schema`, null or undefined when absent, and null when it does
 * not fit — a field that only adds detail never fails an answer.
 */
export function loose<T extends z.ZodType>(schema: T) {
  return schema.nullish().catch(null);
}

/** `loose`, but a value that does not fit reads as undefined (for fields read with `?.` / `??`). */
export function looseOrUndefined<T extends z.ZodType>(schema: T) {
  return schema.nullish().catch(undefined);
}

/** A list that may be missing or null: always an array (`[]` for absent). Items stay strict. */
export function listOrEmpty<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((list): z.output<T>[] => list ?? []);
}
