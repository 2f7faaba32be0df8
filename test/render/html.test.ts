import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html.js';
import { fixtureReport, NAMES } from '../helpers/report-fixture.js';

describe('renderHtml', () => {
  it('renders one section per file', () => {
    const html = renderHtml(fixtureReport(), { names: NAMES });
    expect(html.match(/<section class="target /g)).toHaveLength(5);
  });
});
