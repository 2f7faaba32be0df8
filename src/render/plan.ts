/** `--plan` as a table (the JSON form is the plan itself). */
import type { Plan } from '../model/plan.js';

export function formatDuration(seconds: number): string {
  if (seconds < 1) return '< 1 s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return [h ? `${h} h` : '', m ? `${m} min` : '', s && !h ? `${s} s` : ''].filter(Boolean).join(' ');
}

/** `4/60s, 500/day`: a rate limit as the plan and `quota` tables show it. */
export function rateLimitText(limit: { requests: number; perSeconds: number; daily?: number }): string {
  return `${limit.requests}/${limit.perSeconds}s${limit.daily ? `, ${limit.daily}/day` : ''}`;
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
    const limit = rateLimitText(p.rateLimit);
    const notes = [
      p.rateLimit.daily && p.usedToday ? `${p.usedToday} of the day's ${p.rateLimit.daily} already used` : '',
      p.overDailyQuota
        ? `over the daily quota: about ${Math.ceil((p.lookups + (p.usedToday ?? 0)) / (p.rateLimit.daily ?? 1))} days`
        : '',
    ].filter(Boolean);
    const quota = notes.length > 0 ? ` — ${notes.join('; ')}` : '';
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
