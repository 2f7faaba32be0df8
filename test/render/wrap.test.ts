import { describe, expect, it } from 'vitest';
import { wrap } from '../../src/render/table.js';

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
