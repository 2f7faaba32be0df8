import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listOrEmpty, loose, looseOrUndefined } from '../../src/services/schema-kit.js';

describe('loose', () => {
  const schema = z.object({ name: loose(z.string()), size: looseOrUndefined(z.number()) });

  it('keeps a value that fits, and null / undefined as sent', () => {
    expect(schema.parse({ name: 'a.exe', size: 3 })).toEqual({ name: 'a.exe', size: 3 });
    expect(schema.parse({ name: null, size: null })).toEqual({ name: null, size: null });
    expect(schema.parse({})).toEqual({});
  });

  it('turns a value that does not fit into null (or undefined) rather than failing', () => {
    const parsed = schema.parse({ name: 42, size: 'big' });
    expect(parsed.name).toBeNull();
    expect(parsed.size).toBeUndefined();
    expect('size' in parsed).toBe(true);
  });
});

describe('listOrEmpty', () => {
  const schema = z.object({ tags: listOrEmpty(z.string()) });

  it('reads a missing or null list as empty', () => {
    expect(schema.parse({})).toEqual({ tags: [] });
    expect(schema.parse({ tags: null })).toEqual({ tags: [] });
    expect(schema.parse({ tags: ['a', 'b'] })).toEqual({ tags: ['a', 'b'] });
  });

  it('stays strict on the items and on a non-list', () => {
    expect(schema.safeParse({ tags: [1] }).success).toBe(false);
    expect(schema.safeParse({ tags: 'a' }).success).toBe(false);
  });
});
