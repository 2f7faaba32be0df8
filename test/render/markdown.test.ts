import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/render/markdown.js';
import { fixtureReport, NAMES } from '../helpers/report-fixture.js';

describe('renderMarkdown', () => {
  it('leads with the verdict counts of the fixture run', () => {
    const text = renderMarkdown(fixtureReport(), { names: NAMES });
    expect(text.split('\n').slice(0, 3)).toEqual([
      '## ti-check report',
      '',
      '**1 malicious, 1 suspicious, 1 clean, 1 unknown, 1 allow-listed of 5 files**',
    ]);
  });
});
