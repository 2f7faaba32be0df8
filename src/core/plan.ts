/**
 * `--plan`: how many lookups each service would need after de-duplication and cache hits, and how
 * long its rate limit makes them take. Reads inputs and the cache only; asks no vendor.
 */
import type { RateLimitSettings } from '../http/rate-limiter.js';
import type { AnswerCache } from './cache.js';
import type { BatchItem } from './inputs.js';
import type { PreparedService } from './prepare.js';
import { pickHash } from './targets.js';

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
  rateLimit: RateLimitSettings;
  /** The most requests one lookup makes. */
  requestsPerLookup: number;
  /** Seconds the rate limit makes the lookups take at one request each (0 = one burst). */
  seconds: number;
  /** …and when every lookup makes the most requests the service can make for one (`requestsPerLookup`). */
  secondsAtMost: number;
  /** More lookups than the daily quota: the run would stop this service there. */
  overDailyQuota: boolean;
}

export interface Plan {
  targets: number;
  unreadable: number;
  services: ServicePlan[];
}

export async function planBatch(
  items: AsyncIterable<BatchItem>,
  services: readonly PreparedService[],
  options: { cache?: AnswerCache; rateLimitFor(id: string): RateLimitSettings },
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
  }));
  let targets = 0;
  let unreadable = 0;
  for await (const item of items) {
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
      const hit = options.cache?.get({ service: service.definition.id, baseUrl: service.baseUrl, hash });
      if (hit) plan.cacheHits++;
      else plan.lookups++;
    });
  }
  for (const plan of plans) {
    const { requests, perSeconds, daily } = plan.rateLimit;
    // The first window's worth goes at once; each further one waits a window.
    const take = (n: number) => (n === 0 ? 0 : Math.floor((n - 1) / requests) * perSeconds);
    plan.seconds = take(plan.lookups);
    plan.secondsAtMost = take(plan.lookups * plan.requestsPerLookup);
    plan.overDailyQuota = daily !== undefined && plan.lookups > daily;
  }
  return { targets, unreadable, services: plans };
}

export function formatDuration(seconds: number): string {
  if (seconds < 1) return '< 1 s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return [h ? `${h} h` : '', m ? `${m} min` : '', s && !h ? `${s} s` : ''].filter(Boolean).join(' ');
}

export function renderPlan(plan: Plan): string {
  const lines = [
    `${plan.targets} targets${plan.unreadable ? ` (${plan.unreadable} unreadable)` : ''}; no vendor asked yet`,
    '',
    `${'service'.padEnd(16)} ${'distinct'.padStart(8)} ${'cached'.padStart(8)} ${'lookups'.padStart(8)}  rate limit        time`,
  ];
  for (const p of plan.services) {
    if (p.disabled) {
      lines.push(`${p.service.padEnd(16)} off: ${p.disabled}`);
      continue;
    }
    const limit = `${p.rateLimit.requests}/${p.rateLimit.perSeconds}s${p.rateLimit.daily ? `, ${p.rateLimit.daily}/day` : ''}`;
    const quota = p.overDailyQuota
      ? ` — over the daily quota: about ${Math.ceil(p.lookups / (p.rateLimit.daily ?? 1))} days`
      : '';
    const time =
      p.secondsAtMost > p.seconds
        ? `${formatDuration(p.seconds)} to ${formatDuration(p.secondsAtMost)} (up to ${p.requestsPerLookup} requests a lookup)`
        : formatDuration(p.seconds);
    lines.push(
      `${p.service.padEnd(16)} ${String(p.distinct).padStart(8)} ${String(p.cacheHits).padStart(8)} ${String(p.lookups).padStart(8)}  ${limit.padEnd(17)} ${time}${quota}`,
    );
  }
  const running = plan.services.filter((p) => !p.disabled);
  const slowest = Math.max(0, ...running.map((p) => p.seconds));
  const slowestAtMost = Math.max(0, ...running.map((p) => p.secondsAtMost));
  const total =
    slowestAtMost > slowest
      ? `${formatDuration(slowest)} to ${formatDuration(slowestAtMost)}`
      : formatDuration(slowest);
  lines.push('', `the run would take about ${total} (services run side by side)`);
  return `${lines.join('\n')}\n`;
}
