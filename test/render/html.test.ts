import { describe, expect, it } from 'vitest';
import type { Entry } from '../../src/model/report.js';
import type { Judged, JudgedService } from '../../src/render/common.js';
import { renderHtml } from '../../src/render/html.js';
import { fixtureReport, NAMES } from '../helpers/report-fixture.js';

const render = (results: readonly Judged[]) => renderHtml(results, { names: NAMES });

/** The detail sections' names and verdicts, in page order. */
function sections(html: string): { verdict: string; name: string }[] {
  return [
    ...html.matchAll(
      /<section class="target[^"]*"[^>]*data-verdict="(\w+)"[\s\S]*?<span class="name">([\s\S]*?)<\/span>/g,
    ),
  ].map((m) => ({ verdict: m[1] ?? '', name: m[2] ?? '' }));
}

/** The fixture run shuffled so that input order is not already worst first. */
function shuffled(): Judged[] {
  const [malicious, suspicious, clean, unknown, allowed] = fixtureReport() as [
    Judged,
    Judged,
    Judged,
    Judged,
    Judged,
  ];
  return [unknown, clean, suspicious, allowed, malicious];
}

function row(service: string, verdict: JudgedService['verdict'], entries: Entry[] = []): JudgedService {
  return {
    service,
    status: verdict ? 'found' : 'not_found',
    verdict,
    stats: null,
    entries,
    link: null,
    error: null,
    summary: verdict ? `${service} says ${verdict}` : null,
    hint: null,
    durationMs: 10,
    reason: null,
  };
}

describe('renderHtml', () => {
  it('renders one section per file', () => {
    expect(render(fixtureReport()).match(/<section class="target /g)).toHaveLength(5);
  });

  it('orders the detail sections worst first, stable within a verdict', () => {
    expect(sections(render(shuffled()))).toEqual([
      { verdict: 'malicious', name: 'dist/setup.exe' },
      { verdict: 'suspicious', name: 'dist/lib, &quot;helper&quot;.dll' },
      { verdict: 'clean', name: 'dist/two\nlines &amp; &lt;b&gt;.txt' },
      { verdict: 'clean', name: 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee' },
      { verdict: 'unknown', name: 'd'.repeat(64) },
    ]);
  });

  it('puts the flagged services and engines of one file before the rest', () => {
    const [base] = fixtureReport() as [Judged];
    const entries: Entry[] = [
      { name: 'CleanAV', category: 'clean', detail: null },
      { name: 'QuietAV', category: 'undetected', detail: null },
      { name: 'SusAV', category: 'suspicious', detail: 'Heur.Gen' },
      { name: 'MalAV', category: 'malicious', detail: 'Trojan.X' },
    ];
    const html = render([
      {
        ...base,
        services: [
          row('nothing', null),
          row('cleanlist', 'clean'),
          row('susp', 'suspicious'),
          row('engines', 'malicious', entries),
          row('bazaar', 'malicious'),
        ],
      },
    ]);
    const services = [...html.matchAll(/data-service="(\w+)"/g)].map((m) => m[1]);
    expect(services).toEqual(['engines', 'bazaar', 'susp', 'nothing', 'cleanlist']);
    const engines = [...html.matchAll(/<tr class="c-\w+"><td>(\w+)<\/td>/g)].map((m) => m[1]);
    expect(engines).toEqual(['MalAV', 'SusAV', 'CleanAV', 'QuietAV']);
  });

  it('opens on a summary: counts per verdict, then the flagged files linked to their details', () => {
    const html = render(shuffled());
    const overview = html.indexOf('<section class="overview"');
    const firstFile = html.indexOf('<section class="target');
    expect(overview).toBeGreaterThan(html.indexOf('<body>'));
    expect(overview).toBeLessThan(firstFile);
    expect(html.indexOf('id="filter"')).toBeLessThan(firstFile);

    const counts = Object.fromEntries(
      [...html.matchAll(/<li class="([\w -]+)" data-count="([\w-]+)"><span class="n">(\d+)<\/span>/g)].map(
        (m) => [m[2], { n: Number(m[3]), cls: m[1] }],
      ),
    );
    expect(counts).toEqual({
      malicious: { n: 1, cls: 'v-malicious' },
      suspicious: { n: 1, cls: 'v-suspicious' },
      clean: { n: 1, cls: 'v-clean' },
      undetected: { n: 0, cls: 'v-undetected zero' },
      unknown: { n: 1, cls: 'v-unknown' },
      'allow-listed': { n: 1, cls: 'v-allowed' },
      files: { n: 5, cls: 'total' },
    });

    const summary = html.slice(overview, firstFile);
    const links = [...summary.matchAll(/<tr class="v-(\w+)">.*?<a href="#([\w-]+)">(.*?)<\/a>/g)].map(
      (m) => ({
        verdict: m[1],
        anchor: m[2],
        name: m[3],
      }),
    );
    expect(links).toEqual([
      { verdict: 'malicious', anchor: 'file-1', name: 'dist/setup.exe' },
      { verdict: 'suspicious', anchor: 'file-2', name: 'dist/lib, &quot;helper&quot;.dll' },
    ]);
    for (const { anchor, verdict } of links) {
      expect(html).toMatch(new RegExp(`<section class="target v-${verdict}" id="${anchor}"`));
    }
  });

  it('lists malicious files before suspicious ones however they came in', () => {
    const [malicious, suspicious] = fixtureReport() as [Judged, Judged];
    const html = render([
      suspicious,
      { ...malicious, target: { ...malicious.target, path: 'b.exe' } },
      malicious,
    ]);
    const summary = html.slice(
      html.indexOf('<section class="overview"'),
      html.indexOf('<section class="target'),
    );
    expect([...summary.matchAll(/<a href="#([\w-]+)">(.*?)<\/a>/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      'file-1 b.exe',
      'file-2 dist/setup.exe',
      'file-3 dist/lib, &quot;helper&quot;.dll',
    ]);
  });

  it('says so when nothing is flagged, and counts an empty run', () => {
    const [, , clean] = fixtureReport() as [Judged, Judged, Judged];
    expect(render([clean])).toContain('<p class="none">No file flagged.</p>');
    expect(render([clean])).toContain('<span class="n">1</span> file</li>');
    const empty = render([]);
    expect(empty).toContain('<span class="n">0</span> files</li>');
    expect(empty).not.toContain('<section class="target');
  });

  it('escapes a hostile file name, vendor string and link everywhere, summary included', () => {
    const hostile = '<script>alert(1)</script>"onload="alert(2)\' <img src=x onerror=alert(3)>';
    const [base] = fixtureReport() as [Judged];
    const html = render([
      {
        ...base,
        target: { ...base.target, path: hostile },
        reason: { ...base.reason, message: `flagged by ${hostile}` },
        allowList: null,
        services: [
          {
            ...row('engines', 'malicious', [{ name: hostile, category: 'malicious', detail: hostile }]),
            summary: hostile,
            reason: { rule: 'engine-threshold', message: hostile },
            link: 'javascript:alert(4)',
          },
          { ...row(hostile, 'suspicious'), link: `https://vendor.example/${hostile}` },
        ],
      } as Judged,
    ]);
    // The only script is the report's own; no outside string opens a tag or an attribute.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('"onload=');
    expect(html).not.toContain('javascript:');
    const escaped =
      '&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=&quot;alert(2)&#39; &lt;img src=x onerror=alert(3)&gt;';
    const summary = html.slice(
      html.indexOf('<section class="overview"'),
      html.indexOf('<section class="target'),
    );
    expect(summary).toContain(`<a href="#file-1">${escaped}</a>`);
    expect(summary).toContain(`flagged by ${escaped}`);
    expect(html).toContain(`<span class="name">${escaped}</span>`);
    expect(html).toContain(
      `<tr class="c-malicious"><td>${escaped}</td><td>malicious</td><td>${escaped}</td></tr>`,
    );
    expect(html).toContain(`data-service="${escaped}"`);
    expect(html).toContain(`<a href="https://vendor.example/${escaped}"`);
  });
});
