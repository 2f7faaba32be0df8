/**
 * `ti-check quota`: per service, the limits a run keeps, what today (UTC) has used of them and what
 * is left — shared by the whole fleet with a Redis cache, else what this machine's cache recorded —
 * and the vendor's own figure where it has a quota endpoint (VirusTotal's overall_quotas).
 */
import type { RateLimitSettings } from '../http/rate-limiter.js';
import type { QuotaUse } from '../services/types.js';
import type { AnswerCache } from './cache/index.js';
import { askQuota } from './doctor.js';
import { type PreparedService, serviceAt } from './prepare.js';

export interface QuotaRow {
  service: string;
  rateLimit: RateLimitSettings;
  /** Requests started today (UTC): the fleet's with a shared cache, else answers this machine stored. */
  usedToday: number;
  /** What `rateLimit.daily` leaves today; null without a daily cap. */
  leftToday: number | null;
  /** The vendor's own count, when it has a quota endpoint and a key is set. */
  vendor: QuotaUse[] | null;
  /** Why the vendor's count could not be had (redacted). */
  vendorError: string | null;
}

export interface QuotaReport {
  /** `fleet`: counted in Redis by every process; `local`: this machine's cache; `none`: no cache. */
  counted: 'fleet' | 'local' | 'none';
  rows: QuotaRow[];
}

export async function quotaReport(
  services: readonly PreparedService[],
  options: {
    rateLimitFor(id: string): RateLimitSettings;
    cache: AnswerCache | undefined;
    shared: boolean;
    signal?: AbortSignal;
  },
): Promise<QuotaReport> {
  const running = services.filter((s) => !s.disabledReason);
  const used = (await options.cache?.usedToday(running.map(serviceAt))) ?? new Map<string, number>();
  const rows = await Promise.all(
    running.map(async (service): Promise<QuotaRow> => {
      const id = service.definition.id;
      const rateLimit = options.rateLimitFor(id);
      const usedToday = used.get(id) ?? 0;
      const asked = service.definition.quota ? await askQuota(service, options.signal) : undefined;
      return {
        service: id,
        rateLimit,
        usedToday,
        leftToday: rateLimit.daily === undefined ? null : Math.max(0, rateLimit.daily - usedToday),
        vendor: asked?.ok ? (asked.quota ?? []) : null,
        vendorError: asked && !asked.ok ? asked.message : null,
      };
    }),
  );
  return { counted: options.cache ? (options.shared ? 'fleet' : 'local') : 'none', rows };
}
