/** The `ti-check services` rows: each registered service and whether this config lets it run. */
import type { Config } from '../config/schema.js';
import type { CatalogueRow } from '../model/catalogue.js';
import type { ServiceDefinition } from '../services/types.js';
import { prepareServices } from './prepare.js';

export function catalogueRows(registry: readonly ServiceDefinition[], config: Config): CatalogueRow[] {
  return prepareServices(registry, config).map(({ definition: d, disabledReason }) => ({
    id: d.id,
    aliases: [...(d.aliases ?? [])],
    name: d.displayName,
    kind: d.kind,
    key: d.auth.key,
    ready: disabledReason === undefined,
    readyNote: disabledReason ?? null,
    hashTypes: [...d.hashTypes],
    rateLimit: {
      requests: d.rateLimit.requests,
      perSeconds: d.rateLimit.perSeconds,
      daily: d.rateLimit.daily ?? null,
      source: d.rateLimit.source,
      basis: d.rateLimit.basis,
    },
    requestsPerLookup: d.requestsPerLookup ?? 1,
    docs: d.docs,
    signup: d.auth.signup ?? null,
    plugin: d.plugin ?? null,
  }));
}
