/** The map kept under `key` in `outer` (a two-level index), made and kept there the first time. */
export function mapIn<K, L, V>(outer: Map<K, Map<L, V>>, key: K): Map<L, V> {
  let inner = outer.get(key);
  if (!inner) {
    inner = new Map();
    outer.set(key, inner);
  }
  return inner;
}
