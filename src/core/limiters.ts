/** One rate limiter per service that runs, from the config's rate limit or the service's own. */
import type { Config } from '../config/schema.js';
import { createRateLimiter, type RateLimiter, type RateLimitSettings } from '../http/rate-limiter.js';
import type { ServiceDefinition } from '../services/types.js';
import type { PreparedService } from './prepare.js';

export function rateLimitsFrom(
  config: Config,
  registry: readonly ServiceDefinition[],
): (id: string) => RateLimitSettings {
  return (id) =>
    config.services[id]?.rateLimit ?? (registry.find((s) => s.id === id)?.rateLimit as RateLimitSettings);
}

export function createLimiters(
  services: readonly PreparedService[],
  rateLimitFor: (id: string) => RateLimitSettings,
): Map<string, RateLimiter> {
  return new Map(
    services
      .filter((s) => !s.disabledReason)
      .map((s) => [s.definition.id, createRateLimiter(rateLimitFor(s.definition.id))]),
  );
}
