/**
 * What a user may type for a service: its id or one of its `aliases`, in any case (`VT`, `vt`,
 * `VirusTotal`). Built from the registry, so a new adapter brings its own short names.
 */
import { InputError } from '../errors.js';
import { closest, didYouMean } from '../suggest.js';

export interface ServiceNames {
  /** The ids, in registry order. */
  readonly ids: readonly string[];
  /** Lower-cased id or alias → id. */
  readonly table: ReadonlyMap<string, string>;
  /** The id `name` stands for, or undefined. */
  resolve(name: string): string | undefined;
  /** Ids `name` may have been a typo of (at most 3), best first. */
  suggest(name: string): string[];
  /** `did you mean 'virustotal'?` for a typo, else `valid: <every id>`. */
  hint(name: string): string;
  /**
   * `name` resolved, or an InputError: `unknown service "virustotl" (did you mean 'virustotal'?)`
   * (`what` replaces `unknown service`).
   */
  require(name: string, what?: string): string;
}

/** What this needs of a service: its id and the short names it also answers to. */
export interface NamedService {
  id: string;
  aliases?: readonly string[];
}

export function serviceNames(registry: readonly NamedService[]): ServiceNames {
  const table = new Map<string, string>();
  for (const { id } of registry) table.set(id.toLowerCase(), id);
  // Ids first: an alias never shadows another service's id.
  for (const { id, aliases = [] } of registry) {
    for (const alias of aliases) {
      const key = alias.toLowerCase();
      if (!table.has(key)) table.set(key, id);
    }
  }
  const ids = registry.map((s) => s.id);
  const resolve = (name: string) => table.get(name.trim().toLowerCase());
  const suggest = (name: string) => closest(name.trim(), table.keys(), (key) => table.get(key) ?? key);
  const hint = (name: string) => didYouMean(suggest(name)) || `valid: ${ids.join(', ')}`;
  return {
    ids,
    table,
    resolve,
    suggest,
    hint,
    require(name, what = 'unknown service') {
      const id = resolve(name);
      if (id) return id;
      throw new InputError(`${what} "${name}" (${hint(name)})`);
    },
  };
}
