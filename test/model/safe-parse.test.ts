import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { isSchema, parse, safeParse, WARM_PARSES, warmUp } from '../../src/model/safe-parse.js';

const answer = () =>
  z.object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    detections: z.number().int().nonnegative(),
    tags: z.array(z.string()).optional(),
    vendor: z.object({ name: z.string(), verdict: z.enum(['malicious', 'clean']).nullable() }),
  });

const good = {
  sha256: 'a'.repeat(64),
  detections: 3,
  tags: ['trojan'],
  vendor: { name: 'x', verdict: 'malicious' },
  extra: 'stripped',
};
const bad = { sha256: 'nope', detections: -1, vendor: { name: 1, verdict: 'maybe' } };

describe('safeParse', () => {
  it("parses a schema's first uses without zod's compiled fast path, and the rest with it", () => {
    const schema = answer();
    const spy = vi.spyOn(schema, 'safeParse');
    for (let i = 0; i < WARM_PARSES + 2; i++) safeParse(schema, good);
    const contexts = spy.mock.calls.map((call) => call[1]);
    expect(contexts.slice(0, WARM_PARSES)).toEqual(Array(WARM_PARSES).fill({ jitless: true }));
    expect(contexts.slice(WARM_PARSES)).toEqual([undefined, undefined]);
  });

  it('counts each schema on its own', () => {
    const hot = answer();
    for (let i = 0; i < WARM_PARSES; i++) safeParse(hot, good);
    const cold = answer();
    const spy = vi.spyOn(cold, 'safeParse');
    safeParse(cold, good);
    expect(spy.mock.calls[0]?.[1]).toEqual({ jitless: true });
  });

  it('gives the same data and the same issues with and without the fast path', () => {
    const schema = answer();
    const cold = [safeParse(schema, good), safeParse(schema, bad)];
    for (let i = 0; i < WARM_PARSES; i++) safeParse(schema, good);
    const warm = [safeParse(schema, good), safeParse(schema, bad)];
    expect(cold[0]?.success).toBe(true);
    expect(cold[0]?.data).toEqual({ ...good, extra: undefined });
    expect(cold[0]?.data).not.toHaveProperty('extra');
    expect(warm[0]?.data).toEqual(cold[0]?.data);
    expect(cold[1]?.success).toBe(false);
    expect(warm[1]?.error?.issues).toEqual(cold[1]?.error?.issues);
    expect(cold[1]?.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'sha256',
      'detections',
      'vendor.name',
      'vendor.verdict',
    ]);
  });

  it("parse() returns the data or throws zod's own error, as schema.parse() does", () => {
    const schema = answer();
    expect(parse(schema, good)).toEqual(schema.parse(good));
    expect(() => parse(schema, bad)).toThrow(z.ZodError);
    const thrown = (() => {
      try {
        parse(schema, bad);
      } catch (error) {
        return error;
      }
    })();
    expect((thrown as z.ZodError).issues).toEqual(schema.safeParse(bad).error?.issues);
  });
});

describe('isSchema', () => {
  it('tells a zod schema from the other things a schema module exports', () => {
    expect(isSchema(z.object({ a: z.string() }))).toBe(true);
    expect(isSchema(z.string().nullish().catch(null))).toBe(true);
    expect(isSchema(['a', 'b'])).toBe(false);
    expect(isSchema({ safeParse: () => ({}) })).toBe(false);
    expect(isSchema(null)).toBe(false);
    expect(isSchema('z')).toBe(false);
  });
});

describe('warmUp', () => {
  it('sets up every object schema inside the schema, the optional ones too, each once', () => {
    const meta = z.object({ id: z.string() });
    const item = z.object({ a: z.number() });
    const option = z.object({ x: z.string() });
    const outer = z.object({
      meta: meta.nullish().catch(null),
      again: meta.optional(),
      list: z.array(item).optional(),
      either: z.union([option, z.string()]).optional(),
      table: z.record(z.string(), item).optional(),
    });
    const spies = [meta, item, option, outer].map((schema) => vi.spyOn(schema, 'safeParse'));
    warmUp(outer);
    for (const spy of spies) {
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy).toHaveBeenCalledWith({}, { jitless: true });
    }
    // The schemas answer as before.
    expect(outer.parse({ meta: { id: 'x' }, list: [{ a: 1 }] })).toMatchObject({
      meta: { id: 'x' },
      list: [{ a: 1 }],
    });
  });

  it('ends on a recursive schema, and a transform that throws on {} stops nothing', () => {
    const node = z.object({
      name: z.string(),
      get children() {
        return z.array(node).optional();
      },
    });
    const picky = z.object({ x: z.number().optional() }).transform((value) => {
      if (!('x' in value)) throw new Error('not for {}');
      return value;
    });
    expect(() => warmUp(node)).not.toThrow();
    expect(() => warmUp(z.object({ picky: picky.optional() }))).not.toThrow();
    expect(node.parse({ name: 'a', children: [{ name: 'b' }] })).toEqual({
      name: 'a',
      children: [{ name: 'b' }],
    });
  });
});
