/**
 * GitHub-flavoured Markdown for `$GITHUB_STEP_SUMMARY` and merge-request comments: a summary line,
 * a table of flagged files, then per file a collapsible block with each service and its detections.
 */
import type { OverallVerdict } from '../normalize/model.js';
import {
  answerCounts,
  detections,
  displayName,
  isFlagged,
  type Judged,
  type JudgedService,
  type ServiceNames,
  safeLink,
  targetName,
  verdictCounts,
} from './common.js';
import type { RenderContext } from './index.js';

const ICON: Record<OverallVerdict, string> = {
  malicious: '🔴',
  suspicious: '🟠',
  clean: '🟢',
  undetected: '⚪',
  unknown: '❔',
};

export function renderMarkdown(results: readonly Judged[], { names }: Pick<RenderContext, 'names'>): string {
  const flagged = results.filter(isFlagged);
  const allowed = results.filter((r) => r.allowList);
  const out: string[] = ['## ti-check report', '', `**${verdictCounts(results)}**`, ''];
  if (flagged.length > 0) {
    out.push('| | File | Verdict | Why | Found by |', '| --- | --- | --- | --- | --- |');
    for (const r of flagged) {
      const by = r.services
        .filter((s) => s.status === 'found' && (s.verdict === 'malicious' || s.verdict === 'suspicious'))
        .map((s) => link(displayName(names, s.service), s.link));
      out.push(
        row([
          ICON[r.verdict],
          code(targetName(r.target)),
          `**${r.verdict}**`,
          text(r.reason.message),
          by.join(', '),
        ]),
      );
    }
  } else {
    out.push('No file is malicious or suspicious.');
  }
  if (allowed.length > 0) {
    out.push('', '### Allow-listed (known false positives)', '', '| File | Services said | Comment |');
    out.push('| --- | --- | --- |');
    for (const r of allowed) {
      out.push(
        row([code(targetName(r.target)), r.allowList?.verdict ?? '', text(r.allowList?.comment ?? '')]),
      );
    }
  }
  out.push('', '### Details', '');
  for (const r of results) out.push(...details(r, names), '');
  return `${out.join('\n').trimEnd()}\n`;
}

function details(r: Judged, names: ServiceNames): string[] {
  const allowed = r.allowList ? ' · allow-listed' : '';
  const summary = `${ICON[r.verdict]} <code>${html(targetName(r.target))}</code> — <b>${r.verdict}</b>${allowed} (${answerCounts(r.services)})`;
  const hashes = (['md5', 'sha1', 'sha256'] as const).flatMap((t) =>
    r.target[t] ? [`${t} \`${r.target[t]}\``] : [],
  );
  const out = [
    '<details>',
    `<summary>${summary}</summary>`,
    '',
    hashes.join(' · '),
    '',
    `Why: ${text(r.reason.message)}`,
    '',
    '| Service | Status | Verdict | Summary | Why |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const s of r.services) out.push(serviceRow(s, names));
  const withHits = r.services.filter((s) => detections(s.entries).length > 0);
  for (const s of withHits) {
    out.push('', `**${text(displayName(names, s.service))}** detections:`, '');
    for (const e of detections(s.entries)) {
      out.push(`- ${text(e.name)}: ${e.category}${e.detail ? ` — ${text(e.detail)}` : ''}`);
    }
  }
  out.push('', '</details>');
  return out;
}

function serviceRow(s: JudgedService, names: ServiceNames): string {
  const status = s.status.replace('_', ' ');
  const summary = s.error ? `${s.error.code}: ${s.error.message}` : (s.hint ?? s.summary ?? '');
  return row([
    link(displayName(names, s.service), s.status === 'error' ? null : s.link),
    status,
    s.verdict ?? '',
    text(summary),
    text(s.reason?.message ?? ''),
  ]);
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Text that cannot break out of a table cell or turn into markup. */
function text(value: string): string {
  return value
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]<>|#!~&]/g, (c) => `\\${c}`)
    .trim();
}

function code(value: string): string {
  // Inside a table, a code span still needs `|` escaped; backticks would end it, so use <code>.
  return `<code>${html(value).replace(/\|/g, '&#124;')}</code>`;
}

function html(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\r\n]+/g, ' ');
}

function link(label: string, url: string | null): string {
  const safe = safeLink(url);
  return safe ? `[${text(label)}](${safe.replace(/[()\s]/g, encodeURIComponent)})` : text(label);
}
