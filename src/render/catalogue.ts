/** `ti-check services`: the catalogue of services. Pure: rows in, text out. */
import Table from 'cli-table3';
import type { Styler } from './styler.js';

export interface CatalogueRow {
  id: string;
  /** Short names accepted wherever the id is (`vt`). */
  aliases: string[];
  name: string;
  kind: string;
  key: 'none' | 'required' | 'optional';
  /** Whether this machine's config/env lets the service run. */
  ready: boolean;
  /** Why not, when it cannot run. */
  readyNote: string | null;
  hashTypes: string[];
  /** Counted per HTTP request. */
  rateLimit: { requests: number; perSeconds: number; daily: number | null; source: string };
  /** The most requests one lookup makes. */
  requestsPerLookup: number;
  docs: string;
}

export function renderCatalogueJson(rows: readonly CatalogueRow[]): string {
  return `${JSON.stringify({ services: rows }, null, 2)}\n`;
}

/** Fits a terminal: docs links are in `--json` and the README table, not here. */
export function renderCatalogueTable(rows: readonly CatalogueRow[], styler: Styler): string {
  const table = new Table({
    head: ['id', 'service', 'kind', 'key', 'ready here', 'hashes', 'rate limit'].map((h) => styler.bold(h)),
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    table.push([
      row.id,
      row.name,
      row.kind,
      row.key,
      row.ready ? styler.status('found', 'yes') : styler.status('disabled', shortNote(row.readyNote)),
      row.hashTypes.join(' '),
      rateCell(row),
    ]);
  }
  return `${table.toString()}\n`;
}

/** "needs an API key: set TI_CHECK_X_KEY" → "set TI_CHECK_X_KEY": the action is what matters here. */
function shortNote(note: string | null): string {
  if (!note) return 'no';
  const action = /set (TI_CHECK_\w+)/.exec(note);
  return action ? `set ${action[1]}` : note;
}

export function formatRate(rate: CatalogueRow['rateLimit']): string {
  const units: Record<number, string> = { 1: 's', 60: 'min', 3600: 'h', 86400: 'day' };
  const per = units[rate.perSeconds] ?? `${rate.perSeconds}s`;
  const daily = rate.daily === null ? '' : `, ${rate.daily}/day`;
  return `${rate.requests}/${per}${daily}`;
}

/** The limit, and how many requests a lookup can cost when that is more than one. */
function rateCell(row: CatalogueRow): string {
  const rate = formatRate(row.rateLimit);
  return row.requestsPerLookup > 1 ? `${rate} (≤ ${row.requestsPerLookup} a lookup)` : rate;
}

/** The README's services table (kept in sync by test/render/catalogue.test.ts and `npm run docs`). */
export function renderCatalogueMarkdown(rows: readonly CatalogueRow[]): string {
  const lines = [
    '| id, aliases | service | kind | key | hash types | default rate limit (requests) |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${[r.id, ...r.aliases].map((n) => `\`${n}\``).join(', ')} | [${r.name}](${r.docs}) | ${r.kind} | ${r.key} | ${r.hashTypes.join(', ')} | [${rateCell(r)}](${r.rateLimit.source}) |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
