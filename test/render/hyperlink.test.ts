import { describe, expect, it } from 'vitest';
import { supportsHyperlinks } from '../../src/render/hyperlink.js';
import { RENDERERS } from '../../src/render/renderers.js';
import { plainStyler } from '../../src/render/styler.js';
import { fixtureReport, NAMES } from '../helpers/report-fixture.js';

describe('OSC 8 hyperlinks', () => {
  it('are used only where the terminal is known to show them', () => {
    expect(supportsHyperlinks({ TERM_PROGRAM: 'iTerm.app' }, true)).toBe(true);
    expect(supportsHyperlinks({ VTE_VERSION: '7600' }, true)).toBe(true);
    expect(supportsHyperlinks({ VTE_VERSION: '4200' }, true)).toBe(false);
    expect(supportsHyperlinks({ TERM_PROGRAM: 'iTerm.app' }, false)).toBe(false);
    expect(supportsHyperlinks({ TERM_PROGRAM: 'vscode', CI: 'true' }, true)).toBe(false);
    expect(supportsHyperlinks({}, true)).toBe(false);
    expect(supportsHyperlinks({ FORCE_HYPERLINK: '1' }, false)).toBe(true);
    expect(supportsHyperlinks({ FORCE_HYPERLINK: '0', TERM_PROGRAM: 'iTerm.app' }, true)).toBe(false);
  });

  it('open the whole URL behind a shortened text that fits the width', () => {
    const [malicious] = fixtureReport();
    const context = { styler: plainStyler, names: NAMES, width: 80, showAll: false, hyperlinks: true };
    const text = RENDERERS.table(malicious ? [malicious] : [], context);
    const url = `https://engines.example.test/file/${'a'.repeat(64)}?q=a&b=1`;
    expect(text).toContain(`\u001b]8;;${url}\u0007`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: OSC 8 is made of them
    const shown = text.replaceAll(/\u001b\]8;;[^\u0007]*\u0007/g, '');
    expect(shown.split('\n').every((line) => [...line].length <= 80)).toBe(true);
    expect(shown).toMatch(/Engines {2}↗ https:\/\/engines\.example\.tes.*…a+\?q=a&b=1/);
  });

  it('never carry a link that is not http(s)', () => {
    const [malicious] = fixtureReport();
    if (!malicious) throw new Error('fixture');
    const hostile = {
      ...malicious,
      services: malicious.services.map((s) => ({ ...s, link: s.link ? 'javascript:alert(1)' : null })),
    };
    const context = { styler: plainStyler, names: NAMES, width: 100, showAll: false, hyperlinks: true };
    const text = RENDERERS.table([hostile], context);
    expect(text).not.toContain('\u001b]8');
    expect(text).toContain('javascript:alert(1)');
  });
});
