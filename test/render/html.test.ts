import { describe, expect, it } from 'vitest';
import type { Entry } from '../../src/normalize/model.js';
import type { Judged, JudgedService } from '../../src/render/common.js';
import { renderHtml } from '../../src/render/html.js';
import { fixtureReport, NAMES } from '../helpers/report-fixture.js';

const render = (results: readonly Judged[]) => renderHtml(results, { names: NAMES });

/** The detail sections' names and verdicts, in page order. */
function sections(html: string): { verdict: string; name: string }[] {
  return [
    ...html.matchAll(
      /<section class="target[^"]*" data-verdict="(\w+)"[\s\S]*?<span class="name">([\s\S]*?)<\/span>/g,
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
});
