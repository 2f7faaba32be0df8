/**
 * One self-contained HTML file for an analyst's browser. It opens on a summary (counts per verdict,
 * the flagged files linked to their details), then per file, worst first, the colour-coded service
 * tree of the table report (native <details>, so it opens and closes without script) with the
 * flagged services and engines first, detections, vendor links, and a filter box. No external scripts, fonts or styles; a Content-Security-Policy with the
 * hashes of the inline style and script forbids every other load.
 */
import type { Category, Entry, OverallVerdict } from '../model/report.js';
import {
  answerCounts,
  displayName,
  isFlagged,
  type Judged,
  type JudgedService,
  type ServiceNames,
  safeLink,
  targetName,
} from './common.js';
import type { RenderContext } from './context.js';

const STYLE = `
:root{--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--mal:#cf222e;--sus:#bf8700;--clean:#1a7f37;--gray:#6e7781;--err:#cf222e;--found:#1a7f37}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--mal:#ff7b72;--sus:#d29922;--clean:#3fb950;--gray:#8d96a0;--err:#ff7b72;--found:#3fb950}}
*{box-sizing:border-box}
body{margin:0;padding:1.5rem;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--fg)}
h1{font-size:1.4rem;margin:0 0 .25rem}
.overview{margin:.75rem 0 1.25rem}
ul.counts{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 .75rem;padding:0}
ul.counts>li{min-width:7rem;padding:.3rem .8rem;border:1px solid var(--line);border-top:4px solid var(--gray);border-radius:6px;color:var(--muted)}
ul.counts .n{display:block;font-size:1.6rem;font-weight:700;line-height:1.2;color:var(--fg)}
ul.counts>.v-malicious{border-top-color:var(--mal)}ul.counts>.v-malicious .n{color:var(--mal)}
ul.counts>.v-suspicious{border-top-color:var(--sus)}ul.counts>.v-suspicious .n{color:var(--sus)}
ul.counts>.v-clean{border-top-color:var(--clean)}ul.counts>.v-clean .n{color:var(--clean)}
ul.counts>.v-undetected .n,ul.counts>.v-unknown .n{color:var(--gray)}
ul.counts>.v-allowed{border-top-style:dashed;border-top-color:var(--clean)}
ul.counts>.total{border-top-color:var(--fg)}
ul.counts>.zero{opacity:.5}
table.flagged{margin:0;width:100%;max-width:72rem}
table.flagged th{text-align:left;padding:.2rem .6rem .2rem 0;border-bottom:1px solid var(--line);color:var(--muted);font-weight:600}
table.flagged td{padding:.25rem .6rem .25rem 0;border-bottom:1px solid var(--line)}
table.flagged a{font-weight:600;word-break:break-all}
.none{color:var(--muted)}
.target:target{box-shadow:0 0 0 2px var(--line)}
.controls{display:flex;gap:.5rem;align-items:center;margin-bottom:1rem;flex-wrap:wrap}
#filter{flex:1;min-width:16rem;padding:.45rem .6rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);font:inherit}
button{padding:.4rem .7rem;border:1px solid var(--line);border-radius:6px;background:transparent;color:var(--fg);font:inherit;cursor:pointer}
#count{color:var(--muted)}
.target{border:1px solid var(--line);border-left:6px solid var(--gray);border-radius:6px;margin:0 0 .75rem;padding:.5rem .75rem}
.target.v-malicious{border-left-color:var(--mal)}.target.v-suspicious{border-left-color:var(--sus)}.target.v-clean{border-left-color:var(--clean)}
summary{cursor:pointer}
.target>details>summary{font-weight:600}
.badge{display:inline-block;min-width:6.5rem;text-align:center;padding:0 .4rem;border-radius:4px;color:#fff;background:var(--gray);font-size:12px;font-weight:700;letter-spacing:.03em}
.badge.v-malicious{background:var(--mal)}.badge.v-suspicious{background:var(--sus)}.badge.v-clean{background:var(--clean)}
.allowed{margin-left:.4rem;padding:0 .4rem;border:1px dashed var(--clean);border-radius:4px;color:var(--clean);font-size:12px}
.meta,.muted{color:var(--muted);font-weight:400}
.hashes{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;color:var(--muted);margin:.4rem 0}
.reason{margin:.3rem 0}
ul.tree{list-style:none;margin:.25rem 0 0;padding-left:1rem;border-left:1px solid var(--line)}
ul.tree>li{margin:.2rem 0}
.svc>summary .name{font-weight:600}
.s-found>summary{color:var(--found)}.s-error>summary{color:var(--err)}
.s-not_found>summary,.s-disabled>summary,.s-unsupported>summary{color:var(--gray)}
table{border-collapse:collapse;margin:.3rem 0 .3rem 1rem}
td{padding:.1rem .6rem .1rem 0;vertical-align:top}
.c-malicious{color:var(--mal);font-weight:600}.c-suspicious{color:var(--sus)}.c-clean{color:var(--clean)}.c-undetected{color:var(--gray)}
a{color:inherit}
.svc-body{padding-left:1rem}
#empty{color:var(--muted)}
`;

const SCRIPT = `
(function () {
  var filter = document.getElementById('filter');
  var targets = Array.prototype.slice.call(document.querySelectorAll('.target'));
  var count = document.getElementById('count');
  var empty = document.getElementById('empty');
  function apply() {
    var terms = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    targets.forEach(function (t) {
      var text = t.getAttribute('data-search') || '';
      var match = terms.every(function (term) { return text.indexOf(term) !== -1; });
      t.hidden = !match;
      if (match) shown++;
    });
    count.textContent = shown + ' of ' + targets.length + ' shown';
    empty.hidden = shown !== 0;
  }
  function setAll(open) {
    document.querySelectorAll('details').forEach(function (d) { d.open = open; });
  }
  // A summary link opens its file even when collapsed or hidden by the filter.
  document.querySelectorAll('.overview a[href^="#"]').forEach(function (a) {
    a.addEventListener('click', function () {
      var t = document.getElementById(a.getAttribute('href').slice(1));
      if (!t) return;
      if (t.hidden) { filter.value = ''; apply(); }
      var d = t.querySelector('details');
      if (d) d.open = true;
    });
  });
  filter.addEventListener('input', apply);
  document.getElementById('expand').addEventListener('click', function () { setAll(true); });
  document.getElementById('collapse').addEventListener('click', function () { setAll(false); });
  apply();
})();
`;

// node:crypto loaded by the HTML report only, not with every renderer (the JSON one at start-up).
const csp = (kind: string, body: string) =>
  `${kind} 'sha256-${process.getBuiltinModule('node:crypto').createHash('sha256').update(body).digest('base64')}'`;

export function renderHtml(results: readonly Judged[], { names }: Pick<RenderContext, 'names'>): string {
  const ordered = worstFirst(results);
  const policy = `default-src 'none'; ${csp('style-src', STYLE)}; ${csp('script-src', SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>ti-check report</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>ti-check report</h1>
${overview(results, ordered)}
<div class="controls">
<input id="filter" type="search" placeholder="Filter: file, hash, verdict, service, engine…" aria-label="Filter files" autocomplete="off">
<button id="expand" type="button">Expand all</button>
<button id="collapse" type="button">Collapse all</button>
<span id="count" aria-live="polite"></span>
</div>
</header>
<main>
${ordered.map((r, i) => target(r, i, names)).join('\n')}
<p id="empty" hidden>No file matches the filter.</p>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** Per file, the id its detail section carries and the summary links to: its place on the page, no outside string. */
const anchor = (index: number) => `file-${index + 1}`;

/** Counts per verdict (allow-listed files apart, as in the summary line), then the flagged files, each linked to its detail. */
function overview(results: readonly Judged[], ordered: readonly Judged[]): string {
  const count = (label: string, cls: string, n: number) =>
    `<li class="${cls}${n === 0 ? ' zero' : ''}" data-count="${label}"><span class="n">${n}</span> ${label}</li>`;
  const counts = VERDICT_ORDER.map((v) =>
    count(v, `v-${v}`, results.filter((r) => r.verdict === v && !r.allowList).length),
  );
  const allowed = results.filter((r) => r.allowList).length;
  if (allowed > 0) counts.push(count('allow-listed', 'v-allowed', allowed));
  counts.push(count(results.length === 1 ? 'file' : 'files', 'total', results.length));
  const rows = ordered.flatMap((r, i) =>
    isFlagged(r)
      ? [
          `<tr class="v-${r.verdict}"><td><span class="badge v-${r.verdict}">${r.verdict.toUpperCase()}</span></td><td><a href="#${anchor(i)}">${esc(targetName(r.target))}</a></td><td>${esc(r.reason.message)}</td></tr>`,
        ]
      : [],
  );
  const flagged =
    rows.length > 0
      ? `<table class="flagged"><thead><tr><th>Verdict</th><th>Flagged file</th><th>Why</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`
      : '<p class="none">No file flagged.</p>';
  return `<section class="overview" aria-label="Summary">
<ul class="counts">${counts.join('')}</ul>
${flagged}
</section>`;
}

function target(r: Judged, index: number, names: ServiceNames): string {
  const name = targetName(r.target);
  const search = [
    name,
    r.verdict,
    r.target.md5,
    r.target.sha1,
    r.target.sha256,
    r.allowList ? `allow-listed ${r.allowList.comment}` : '',
    ...r.services.flatMap((s) => [s.service, displayName(names, s.service), ...s.entries.map((e) => e.name)]),
  ]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  const allowed = r.allowList
    ? ` <span class="allowed" title="${esc(r.allowList.comment)}">allow-listed (services said ${esc(r.allowList.verdict)})</span>`
    : '';
  const hashes = (['md5', 'sha1', 'sha256'] as const)
    .flatMap((t) => (r.target[t] ? [`${t} ${esc(r.target[t] ?? '')}`] : []))
    .join('<br>');
  return `<section class="target v-${r.verdict}" id="${anchor(index)}" data-verdict="${r.verdict}" data-search="${esc(search)}">
<details${isFlagged(r) ? ' open' : ''}>
<summary><span class="badge v-${r.verdict}">${r.verdict.toUpperCase()}</span> <span class="name">${esc(name)}</span>${allowed} <span class="meta">${answerCounts(r.services)}</span></summary>
<div class="hashes">${hashes}</div>
<p class="reason"><span class="muted">Why:</span> ${esc(r.reason.message)}</p>
<ul class="tree">
${flaggedFirst(r.services, (s) => s.verdict)
  .map((s) => service(s, names))
  .join('\n')}
</ul>
</details>
</section>`;
}

function service(s: JudgedService, names: ServiceNames): string {
  const detail = s.error ? `${s.error.code}: ${s.error.message}` : (s.hint ?? s.summary ?? '');
  const link = s.status === 'error' ? null : safeLink(s.link);
  const flagged = flaggedFirst(
    s.entries.filter((e) => e.category !== 'undetected'),
    (e) => e.category,
  );
  const undetected = s.entries.filter((e) => e.category === 'undetected');
  const body = [
    s.reason ? `<p class="reason"><span class="muted">Why:</span> ${esc(s.reason.message)}</p>` : '',
    flagged.length > 0 ? entriesTable(flagged) : '',
    undetected.length > 0
      ? `<details class="undetected"><summary class="muted">${undetected.length} undetected</summary>${entriesTable(undetected)}</details>`
      : '',
    link ? `<p><a href="${esc(link)}" target="_blank" rel="noopener noreferrer">↗ ${esc(link)}</a></p>` : '',
  ].join('');
  return `<li><details class="svc s-${s.status}" data-service="${esc(s.service)}"${s.status === 'found' && s.verdict !== 'undetected' && s.verdict !== 'clean' ? ' open' : ''}>
<summary><span class="name">${esc(displayName(names, s.service))}</span> · ${esc(s.status.replace('_', ' '))}${detail ? ` · <span class="detail">${esc(detail)}</span>` : ''}</summary>
<div class="svc-body">${body || '<p class="muted">nothing more</p>'}</div>
</details></li>`;
}

function entriesTable(entries: readonly Entry[]): string {
  const rows = entries.map(
    (e) =>
      `<tr class="c-${e.category}"><td>${esc(e.name)}</td><td>${e.category}</td><td>${esc(e.detail ?? '')}</td></tr>`,
  );
  return `<table><tbody>${rows.join('')}</tbody></table>`;
}

const VERDICT_ORDER: readonly OverallVerdict[] = [
  'malicious',
  'suspicious',
  'clean',
  'undetected',
  'unknown',
];

/** Detail sections worst first: malicious, suspicious, clean, undetected, unknown; input order within one. */
function worstFirst(results: readonly Judged[]): Judged[] {
  return [...results].sort((a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict));
}

/** Malicious, then suspicious, then the rest, each in input order (Array.prototype.sort is stable). */
function flaggedFirst<T>(items: readonly T[], category: (item: T) => Category | null): T[] {
  const rank = (item: T) => {
    const c = category(item);
    return c === 'malicious' ? 0 : c === 'suspicious' ? 1 : 2;
  };
  return [...items].sort((a, b) => rank(a) - rank(b));
}

function esc(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
