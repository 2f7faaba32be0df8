/**
 * `{ ...record, ...fields }` for the records a lookup passes along (service rows, targets, engine
 * rows), without the slow path Node 20's V8 takes for it.
 *
 * V8 11 (Node 20) copies a spread object quickly, but a property written after the copy, as in
 * `{ ...row, cached: false }`, gives the new object a map of its own: ~1 µs a property, a few
 * hundred bytes of garbage, and every later reader of these objects (JSON.stringify, the cache,
 * the renderers) sees a new shape each time. A batch makes several such copies per lookup.
 * `Object.assign` onto a fresh object makes the same object with shared maps (V8 12 and later,
 * Node 22 on, are quick either way).
 *
 * The same result as the spread for the program's own records: the same own properties in the same
 * order, a field of `fields` overriding the record's in place. Not for objects keyed by outside
 * data (an engine-name map): `Object.assign` sets a `__proto__` key, where a spread defines it.
 */
export function withFields<T extends object, F extends object>(record: T, fields: F): Omit<T, keyof F> & F {
  return Object.assign({}, record, fields);
}
