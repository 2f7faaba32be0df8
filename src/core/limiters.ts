/** One rate limiter per service that runs, from the config's rate limit or the service's own. */
import type { Config } from '../config/schema.js';
import { createRateLimiter, type RateLimiter, type RateLimitSettings } from '../http/rate-limiter.js';
import type { ServiceDefinition } from '../services/types.js';
import type { Fleet } from './fleet/index.js';
import { type PreparedService, serviceAt } from './prepare.js';

export function rateLimitsFrom(
  config: Config,
  registry: readonly ServiceDefinition[],
): (id: string) => RateLimitSettings {
  return (id) =>
    config.services[id]?.rateLimit ?? (registry.find((s) => s.id === id)?.rateLimit as RateLimitSettings);
}

/** With a fleet, each limit is shared by every process on its Redis (src/core/fleet/shared-limiter.ts). */
export function createLimiters(
  services: readonly PreparedService[],
  rateLimitFor: (id: string) => RateLimitSettings,
  fleet?: Pick<Fleet, 'share'>,
): Map<string, RateLimiter> {
  return new Map(
    services
      .filter((s) => !s.disabledReason)
      .map((s) => {
        const settings = rateLimitFor(s.definition.id);
        const local = createRateLimiter(settings);
        return [s.definition.id, fleet ? fleet.share(serviceAt(s), settings, local) : local];
      }),
  );
}
