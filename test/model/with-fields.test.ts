import { describe, expect, it } from 'vitest';
import { withFields } from '../../src/model/with-fields.js';

describe('withFields', () => {
  it('makes what a spread makes: the same properties in the same order, an existing one overridden in place', () => {
    const row = { service: 'vt', link: 'https://a.example/x', hint: null, entries: [1] };
    const fields = { hint: 'why', cached: false, fetchedAt: null };
    const made = withFields(row, fields);
    const spread = { ...row, ...fields };
    expect(made).toStrictEqual(spread);
    expect(Object.keys(made)).toEqual(['service', 'link', 'hint', 'entries', 'cached', 'fetchedAt']);
    expect(JSON.stringify(made)).toBe(JSON.stringify(spread));
    expect(Object.getPrototypeOf(made)).toBe(Object.prototype);
  });

  it('leaves both inputs as they were and shares their values, as a spread does', () => {
    const entries = [{ name: 'engine' }];
    const row = Object.freeze({ service: 'vt', entries });
    const fields = { cached: true };
    const made = withFields(row, fields);
    expect(row).toEqual({ service: 'vt', entries });
    expect(made.entries).toBe(entries);
    made.cached = false;
    expect(fields).toEqual({ cached: true });
  });
});

describe('withFields and a __proto__ key', () => {
  it('copies it as a plain property, as a spread does, never as the prototype of the copy', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true, "toJSON": 1}, "name": "engine"}') as object;
    for (const made of [withFields(hostile, { detail: 'x' }), withFields({ name: 'engine' }, hostile)]) {
      expect(Object.getPrototypeOf(made)).toBe(Object.prototype);
      expect((made as { polluted?: unknown }).polluted).toBeUndefined();
      expect(Object.hasOwn(made, '__proto__')).toBe(true);
    }
    expect(Object.keys(withFields(hostile, { detail: 'x' }))).toEqual(['__proto__', 'name', 'detail']);
  });
});
