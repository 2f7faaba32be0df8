import { describe, expect, it } from 'vitest';
import { hangingWrap, wrap } from '../../src/render/terminal-text.js';

describe('wrap', () => {
  it('breaks at spaces and keeps every line within the width', () => {
    expect(wrap('53/62 engines: malicious · label: virus.hill/w97m', 20)).toEqual([
      '53/62 engines:',
      'malicious · label:',
      'virus.hill/w97m',
    ]);
  });

  it('splits a word longer than the line across lines, never cutting it', () => {
    const sha256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
    const lines = wrap(`sha256 ${sha256}`, 30);
    expect(lines).toEqual(['sha256', sha256.slice(0, 30), sha256.slice(30, 60), sha256.slice(60)]);
    expect(lines.join('').replace('sha256', '')).toBe(sha256);
  });

  it('keeps short and empty text as one line', () => {
    expect(wrap('', 10)).toEqual(['']);
    expect(wrap('malicious', 10)).toEqual(['malicious']);
    expect(wrap('malicious', 5)).toEqual(['malic', 'ious']);
  });
});

describe('hangingWrap', () => {
  it('leaves a line that fits alone', () => {
    expect(hangingWrap('ti-check: 1 of 1 target malicious', 80)).toEqual([
      'ti-check: 1 of 1 target malicious',
    ]);
  });
  it('indents the lines after the first and keeps all of them within the width', () => {
    const hash = 'ab'.repeat(32);
    const lines = hangingWrap(`ti-check: 1 of 1 target malicious: ${hash} (VirusTotal 53/62)`, 40);
    expect(lines.slice(1).every((l) => l.startsWith('  '))).toBe(true);
    expect(lines.every((l) => l.length <= 40)).toBe(true);
    // The hash is split across lines, never lost: both ends and every character are still there.
    expect(lines.map((l) => l.trim()).join('')).toContain(hash);
  });
});
