/** `ti-check services`: the catalogue of services. Pure: rows in, text out. */
import type { CatalogueRow } from '../model/catalogue.js';
import type { Styler } from './styler.js';
import { terminalSafe } from './terminal-text.js';

export function renderCatalogueJson(rows: readonly CatalogueRow[]): string {
  return `${JSON.stringify({ services: rows }, null, 2)}\n`;
}

/**
 * For a terminal of `width` columns: the services grouped by whether they can run here, one line
 * each (id and aliases, name, hash types, rate limit), then their kind and links (where to get a
 * key, the API documentation) under it, wrapped at link boundaries so no URL is ever broken.
 */
export function renderCatalogueTable(rows: readonly CatalogueRow[], styler: Styler, width = 100): string {
  const idWidth = Math.max(...rows.map((r) => r.id.length));
  const nameWidth = Math.min(24, Math.max(...rows.map((r) => r.name.length)));
  const indent = ' '.repeat(2 + idWidth + 2);
  const entry = (row: CatalogueRow): string[] => {
    const head = `  ${row.id.padEnd(idWidth)}  ${styler.bold(row.name.padEnd(nameWidth))}  ${row.hashTypes.join(' ').padEnd(15)}  ${rateCell(row)}`;
    // What makes it ready, when it is not: the variable to set, named in full.
    const action = row.ready ? null : /set (TI_CHECK_\w+)/.exec(row.readyNote ?? '')?.[0];
    const parts = [row.kind, action ?? `${row.key === 'none' ? 'no key' : `key ${row.key}`}`];
    if (row.aliases.length > 0) parts.unshift(`also ${row.aliases.join(', ')}`);
    // A file name is the user's: shown with its control characters made visible.
    if (row.plugin) parts.unshift(`plugin ${terminalSafe(row.plugin)}`);
    if (row.signup && row.key !== 'none') parts.push(`get a key ${row.signup}`);
    parts.push(`docs ${row.docs}`);
    // A long link moves left rather than past the edge; one longer than the terminal stands alone.
    const place = (l: string) =>
      [...l].length + indent.length <= width ? indent + l : [...l].length + 2 <= width ? `  ${l}` : l;
    return [head, ...joinFitting(parts, width - indent.length).map((l) => styler.dim(place(l)))];
  };
  const ready = rows.flatMap((r) => (r.ready ? [entry(r)] : []));
  const blocked = rows.flatMap((r) => (r.ready ? [] : [{ row: r, lines: entry(r) }]));
  const out = [styler.status('found', `Ready here (${ready.length})`), ...ready.flat()];
  // Grouped by what would make them ready: a key (set TI_CHECK_<ID>_KEY), or the config.
  const reasons = new Map<string, string[]>();
  for (const { row, lines } of blocked) {
    const reason = row.readyNote?.startsWith('needs an API key')
      ? 'Need a key (the variable below, or services.<id>.apiKey in the config)'
      : `Not ready: ${row.readyNote ?? 'no'}`;
    reasons.set(reason, [...(reasons.get(reason) ?? []), ...lines]);
  }
  for (const [reason, lines] of reasons) {
    out.push('', styler.status('disabled', reason), ...lines);
  }
  return `${out.join('\n')}\n`;
}

/** Parts joined with ' · ' onto lines of at most `width`; a part longer than that stands alone. */
function joinFitting(parts: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    const next = line ? `${line} · ${part}` : part;
    if (line && [...next].length > width) {
      lines.push(line);
      line = part;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
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
