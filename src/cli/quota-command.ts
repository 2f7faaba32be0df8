/**
 * `ti-check quota [--services a,b] [--cache redis://…] [--json]`: each service's limits, today's use
 * and what is left (src/core/quota.ts). Asks only quota endpoints (VirusTotal's), never a lookup.
 */
import { cacheSettingsOf } from '../config/defaults.js';
import { rateLimitsFrom } from '../core/limiters.js';
import { openAnswerCache } from '../core/open-cache.js';
import { prepareServices } from '../core/prepare.js';
import { type QuotaReport, quotaReport } from '../core/quota.js';
import { rateLimitText } from '../render/plan.js';
import { terminalSafe } from '../render/terminal-text.js';
import type { ServiceDefinition } from '../services/types.js';
import { SHARED_CACHE_OPTION, servicesListOption } from './check-options.js';
import { loadCliConfig } from './config.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

export const QUOTA_OPTIONS = {
  services: servicesListOption('only these services (comma-separated ids or aliases)'),
  cache: SHARED_CACHE_OPTION,
  json: { type: 'boolean', default: false, describe: 'print as JSON' },
} as const;

export async function runQuota(
  args: { services?: string[]; cache?: string; json: boolean; config?: string },
  io: CliIo,
  registry: readonly ServiceDefinition[],
): Promise<number> {
  const { config, registry: all } = await loadCliConfig(args.config, io, registry);
  const services = prepareServices(all, config, { only: args.services });
  const warn = (message: string) => io.stderr.write(`ti-check: ${message}\n`);
  const { cache, fleet } = await openAnswerCache(
    {
      disabled: false,
      offline: false,
      refresh: false,
      url: args.cache,
      settings: cacheSettingsOf(config),
      env: io.env,
    },
    warn,
  );
  try {
    const report = await quotaReport(services, {
      rateLimitFor: rateLimitsFrom(config, all),
      cache,
      shared: fleet !== undefined,
      signal: io.signal,
    });
    io.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : renderQuota(report, cache?.file));
    return EXIT.ok;
  } finally {
    await cache?.close();
  }
}

function renderQuota(report: QuotaReport, where: string | undefined): string {
  const counted = {
    fleet: `used today (UTC): every process on ${where}`,
    local: `used today (UTC): answers this machine's cache stored (${where}); with a shared cache, the whole fleet's requests`,
    none: 'used today: not known (no cache)',
  }[report.counted];
  const lines = [
    counted,
    '',
    `${'service'.padEnd(16)} ${'rate limit'.padEnd(18)} ${'used today'.padStart(10)} ${'left today'.padStart(10)}  vendor's own count`,
  ];
  for (const row of report.rows) {
    const limit = rateLimitText(row.rateLimit);
    const vendor = row.vendorError
      ? `not available: ${terminalSafe(row.vendorError)}`
      : row.vendor
        ? row.vendor.map((q) => `${q.used}/${q.allowed} this ${q.period}`).join(' · ') || 'not reported'
        : '—';
    lines.push(
      `${row.service.padEnd(16)} ${limit.padEnd(18)} ${String(row.usedToday).padStart(10)} ${(row.leftToday === null ? '—' : String(row.leftToday)).padStart(10)}  ${vendor}`,
    );
  }
  if (report.rows.length === 0) lines.push('(no service is set up: ti-check services lists them)');
  return `${lines.join('\n')}\n`;
}
