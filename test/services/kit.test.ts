import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  joinDetail,
  joinParts,
  labelled,
  loadSchemas,
  plural,
  safeJson,
  sha256Link,
  unique,
} from '../../src/services/kit.js';

const SHA256 = 'ab'.repeat(32);
const page = (sha256: string) => `https://vendor.example/sample/${sha256}`;

describe('joinParts / joinDetail', () => {
  it('joins the non-empty parts with a middle dot', () => {
    expect(joinParts('a', null, 'b', undefined, '', false, 'c')).toBe('a · b · c');
    expect(joinDetail('a', null, 'b')).toBe('a · b');
  });

  it('gives an empty summary but a null detail when nothing is left', () => {
    expect(joinParts()).toBe('');
    expect(joinParts(null, '', undefined)).toBe('');
    expect(joinDetail()).toBeNull();
    expect(joinDetail(null, '', false)).toBeNull();
  });
});

describe('plural', () => {
  it.each([
    [0, '0 alerts'],
    [1, '1 alert'],
    [2, '2 alerts'],
  ])('%i alert(s)', (count, text) => {
    expect(plural(count, 'alert')).toBe(text);
  });

  it('takes a phrase and an irregular plural', () => {
    expect(plural(3, 'malware URL')).toBe('3 malware URLs');
    expect(plural(2, 'analysis', 'analyses')).toBe('2 analyses');
    expect(plural(1, 'analysis', 'analyses')).toBe('1 analysis');
  });
});

describe('labelled', () => {
  it('labels a non-empty list, and gives null for an empty one', () => {
    expect(labelled('family', ['emotet', 'heodo'])).toBe('family: emotet, heodo');
    expect(labelled('family', [])).toBeNull();
    expect(joinParts('listed', labelled('family', []))).toBe('listed');
  });
});

describe('unique', () => {
  it('drops repeats and keeps the first order', () => {
    expect(unique(['b', 'a', 'b', 'c', 'a'])).toEqual(['b', 'a', 'c']);
    expect(unique([])).toEqual([]);
  });
});

describe('sha256Link', () => {
  it('links the SHA-256 page when asked by MD5 or SHA-1', () => {
    expect(sha256Link({ type: 'md5', value: 'cd'.repeat(16) }, SHA256, page)).toEqual({ link: page(SHA256) });
    expect(sha256Link({ type: 'sha1', value: 'cd'.repeat(20) }, SHA256, page)).toEqual({
      link: page(SHA256),
    });
  });

  it('adds nothing when asked by SHA-256 (service.link already names the page)', () => {
    const link = sha256Link({ type: 'sha256', value: SHA256 }, SHA256, page);
    expect(link).toEqual({});
    expect('link' in link).toBe(false);
  });

  it('adds nothing when the answer names no SHA-256', () => {
    const md5 = { type: 'md5', value: 'cd'.repeat(16) } as const;
    expect(sha256Link(md5, undefined, page)).toEqual({});
    expect(sha256Link(md5, null, page)).toEqual({});
    expect(sha256Link(md5, '', page)).toEqual({});
  });

  it('spreads into a finding without touching the rest', () => {
    const finding = { verdict: 'malicious' as const, entries: [] };
    expect({ ...finding, ...sha256Link({ type: 'md5', value: 'cd'.repeat(16) }, SHA256, page) }).toEqual({
      verdict: 'malicious',
      entries: [],
      link: page(SHA256),
    });
  });
});

describe('safeJson', () => {
  it('parses JSON', () => {
    expect(safeJson('{"error":"nope"}')).toEqual({ error: 'nope' });
    expect(safeJson('[1, 2]')).toEqual([1, 2]);
    expect(safeJson('null')).toBeNull();
  });

  it('gives undefined for anything else', () => {
    expect(safeJson('')).toBeUndefined();
    expect(safeJson('<html>Bad Gateway</html>')).toBeUndefined();
    expect(safeJson('{"cut short')).toBeUndefined();
  });
});

describe('loadSchemas', () => {
  /** A few turns of the event loop: loadSoon gives each load, then each warm-up, a turn of its own. */
  const turns = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  };

  it('loads the module once, then warms up each schema it exports, in a later turn', async () => {
    const answer = z.object({ data: z.object({ id: z.string() }) });
    const warm = vi.spyOn(answer, 'safeParse');
    // A transform that cannot take `{}` throws from the warm-up: the schemas after it are warmed all the same.
    const picky = z.object({ x: z.number().optional() }).transform((value) => {
      if (!('x' in value)) throw new Error('not for {}');
      return value;
    });
    const load = vi.fn(async () => ({ picky, answer, NAMES: ['a'] as const }));
    const schemas = loadSchemas(load);
    const first = schemas();
    expect(schemas()).toBe(first);
    expect(await first).toEqual({ picky, answer, NAMES: ['a'] });
    expect(load).toHaveBeenCalledTimes(1);
    await turns(4);
    expect(warm).toHaveBeenCalledTimes(1);
    expect(warm).toHaveBeenCalledWith({}, { jitless: true });
    // The schemas answer as before.
    expect(answer.parse({ data: { id: 'x' } })).toEqual({ data: { id: 'x' } });
    expect(picky.parse({ x: 1 })).toEqual({ x: 1 });
  });
});
