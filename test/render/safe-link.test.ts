/**
 * safeLink: a link comes from a vendor's answer (or a fake vendor). Only web links become
 * clickable; anything a browser or terminal could run stays text.
 */
import { describe, expect, it } from 'vitest';
import type { Judged } from '../../src/render/common.js';
import { safeLink } from '../../src/render/common.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { fixtureReport, NAMES } from '../helpers/report-fixture.js';

describe('safeLink', () => {
  it.each([
    'https://www.virustotal.com/gui/file/275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
    'http://127.0.0.1:9000/analysis/1?q=a&b=1',
    'HTTPS://Vendor.Example/Report',
  ])('keeps the web link %s as it is', (link) => {
    expect(safeLink(link)).toBe(link);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(document.cookie)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'javascript://vendor.example/%0aalert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://vendor.example/x',
  ])('drops %j', (link) => {
    expect(safeLink(link)).toBeNull();
  });

  it.each([null, '', '/analysis/1', 'not a url'])('has no link for %j', (link) => {
    expect(safeLink(link)).toBeNull();
  });

  it('markdown shows a javascript: link as its plain label, never as a link', () => {
    const [base] = fixtureReport() as [Judged];
    const hostile: Judged = {
      ...base,
      services: base.services.map((s) => ({ ...s, link: s.link ? 'javascript:alert(1)' : null })),
    };
    const markdown = renderMarkdown([hostile], { names: NAMES });
    expect(markdown).not.toContain('javascript:');
    expect(markdown).not.toMatch(/\]\(/);
    // The same report with its https links does link them (so the check above means something).
    expect(renderMarkdown([base], { names: NAMES })).toContain('](https://engines.example.test/file/');
  });
});
