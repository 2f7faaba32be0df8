/**
 * `--plan`: how many lookups each service would need after de-duplication and cache hits, and how
 * long its rate limit makes them take. Reads inputs and the cache only; asks no vendor. The plan's
 * shape is in src/model/plan.ts, its table in src/render/plan.ts.
 */
import type { RateLimitSettings } from '../http/rate-limiter.js';
import type { Plan, ServicePlan } from '../model/plan.js';
import type { BatchItem } from './batch-item.js';
import type { AnswerCache, CacheKey } from './cache/index.js';
import type { PreparedService } from './prepare.js';
import { pickHash } from './targets.js';

export async function planBatch(
  items: AsyncIterable<readonly BatchItem[]>,
  services: readonly PreparedService[],
  options: {
    cache?: AnswerCache;
    rateLimitFor(id: string): RateLimitSettings;
    /** Requests each service already made today, by this machine or the fleet: they count against `daily`. */
    usedToday?: ReadonlyMap<string, number>;
  },
): Promise<Plan> {
  const seen = services.map(() => new Set<string>());
  const plans: ServicePlan[] = services.map((s) => ({
    service: s.definition.id,
    disabled: s.disabledReason ?? null,
    targets: 0,
    distinct: 0,
    cacheHits: 0,
    lookups: 0,
    unsupported: 0,
    rateLimit: options.rateLimitFor(s.definition.id),
    requestsPerLookup: s.definition.requestsPerLookup ?? 1,
    seconds: 0,
    secondsAtMost: 0,
    overDailyQuota: false,
    usedToday: options.usedToday?.get(s.definition.id) ?? null,
  }));
  let targets = 0;
  let unreadable = 0;
  const asked: [ServicePlan, CacheKey][] = [];
  for await (const batch of items)
    for (const item of batch) {
      targets++;
      if (item.error) {
        unreadable++;
        continue;
      }
      services.forEach((service, i) => {
        const plan = plans[i] as ServicePlan;
        plan.targets++;
        if (service.disabledReason) return;
        const hash = pickHash(item.target, service.definition.hashTypes);
        if (!hash) {
          plan.unsupported++;
          return;
        }
        const key = `${hash.type}:${hash.value}`;
        const set = seen[i] as Set<string>;
        if (set.has(key)) return;
        set.add(key);
        plan.distinct++;
        asked.push([plan, { service: service.definition.id, baseUrl: service.baseUrl, hash }]);
      });
      // A shared cache answers over the network: the target's keys are asked together.
      const hits = asked.map(([, key]) => options.cache?.get(key));
      for (const [i, [plan]] of asked.splice(0).entries()) {
        const hit = hits[i];
        if (hit instanceof Promise ? await hit : hit) plan.cacheHits++;
        else plan.lookups++;
      }
    }
  for (const plan of plans) {
    const { requests, perSeconds, daily } = plan.rateLimit;
    // The first window's worth goes at once; each further one waits a window.
    const take = (n: number) => (n === 0 ? 0 : Math.floor((n - 1) / requests) * perSeconds);
    plan.seconds = take(plan.lookups);
    plan.secondsAtMost = take(plan.lookups * plan.requestsPerLookup);
    plan.overDailyQuota = daily !== undefined && plan.lookups > daily - (plan.usedToday ?? 0);
  }
  return { targets, unreadable, services: plans };
}
