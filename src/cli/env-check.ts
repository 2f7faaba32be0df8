/**
 * A `TI_CHECK_*` variable ti-check does not read is almost always a typo that leaves a service
 * without its key: say so on stderr, naming the variable only (its value may be a key).
 */

import { serviceNames } from '../config/service-names.js';
import { envStem } from '../core/prepare.js';
import type { ServiceDefinition } from '../services/types.js';
import { closest, didYouMean } from '../suggest.js';

const PREFIX = 'TI_CHECK_';

/** Every `TI_CHECK_*` variable ti-check reads: a key and a URL per service, and the shared cache's URL. */
export function knownEnvNames(registry: readonly Pick<ServiceDefinition, 'id'>[]): string[] {
  return [
    ...registry.flatMap(({ id }) => [`${envStem(id)}_KEY`, `${envStem(id)}_URL`]),
    'TI_CHECK_CACHE_URL',
  ];
}

/** One line per unknown variable: `unknown environment variable X (did you mean Y?)`. */
export function unknownEnvWarnings(
  env: NodeJS.ProcessEnv,
  registry: readonly Pick<ServiceDefinition, 'id' | 'aliases'>[],
): string[] {
  const known = knownEnvNames(registry);
  const names = serviceNames(registry);
  return Object.keys(env)
    .filter((name) => name.toUpperCase().startsWith(PREFIX) && !known.includes(name))
    .sort()
    .map((name) => {
      const meant = meantFor(name.toUpperCase(), known, names);
      const hint = didYouMean(meant, (n) => n);
      return `unknown environment variable ${name}${hint ? ` (${hint})` : ''}`;
    });
}

/**
 * `TI_CHECK_VIRUSTOTL_KEY`, `TI_CHECK_VT_KEY`, `TI_CHECK_VIRUSTOTAL_API_KEY` → `TI_CHECK_VIRUSTOTAL_KEY`:
 * the service part read as an id, alias or near miss of one, the end as KEY or URL; else the
 * nearest known name.
 */
function meantFor(name: string, known: readonly string[], names: ReturnType<typeof serviceNames>): string[] {
  if (known.includes(name)) return [name]; // only the case was wrong
  const parts = /^TI_CHECK_(.+?)_(API_?KEY|KEY|TOKEN|BASE_?URL|URL)$/.exec(name);
  if (parts) {
    const [, stem = '', end = ''] = parts;
    const ids = [names.resolve(stem) ?? names.suggest(stem)].flat();
    const suffix = end.endsWith('URL') ? 'URL' : 'KEY';
    const guesses = ids.map((id) => `${envStem(id)}_${suffix}`).filter((n) => known.includes(n));
    if (guesses.length > 0) return guesses;
  }
  return closest(name, known);
}
