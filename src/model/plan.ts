/** `--plan`'s answer: per service, the lookups a run would make and how long its rate limit makes them take. */

export interface ServicePlan {
  service: string;
  /** Why it will not run, when it will not. */
  disabled: string | null;
  targets: number;
  /** Distinct hashes it would be asked about. */
  distinct: number;
  cacheHits: number;
  lookups: number;
  /** Targets whose hash types it cannot search. */
  unsupported: number;
  /** The rate limit the run would use (the shape of http's RateLimitSettings). */
  rateLimit: { requests: number; perSeconds: number; daily?: number };
  /** The most requests one lookup makes. */
  requestsPerLookup: number;
  /** Seconds the rate limit makes the lookups take at one request each (0 = one burst). */
  seconds: number;
  /** …and when every lookup makes the most requests the service can make for one (`requestsPerLookup`). */
  secondsAtMost: number;
  /** More lookups than what is left of the daily quota today: the run would stop this service there. */
  overDailyQuota: boolean;
  /** Requests already made today (UTC): by the whole fleet with a shared cache, else by this machine; null when unknown. */
  usedToday: number | null;
}

export interface Plan {
  targets: number;
  unreadable: number;
  services: ServicePlan[];
}
