import { describe, expect, it } from 'vitest';
import { REDACTED, redact, SecretSet } from '../../src/http/redact.js';

const KEY = 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6A7B8C9D0E1F2';

describe('redact', () => {
  it('masks the key whole', () => {
    expect(redact(`key=${KEY}&x=1`, [KEY])).toBe(`key=${REDACTED}&x=1`);
  });

  it('masks any run of 8 or more of its characters: a key cut at a limit is still the key', () => {
    expect(redact(`…${KEY.slice(0, 57)}`, [KEY])).toBe(`…${REDACTED}`);
    expect(redact(`${KEY.slice(30, 38)} tail`, [KEY])).toBe(`${REDACTED} tail`);
    // Seven characters are not the key.
    expect(redact(KEY.slice(0, 7), [KEY])).toBe(KEY.slice(0, 7));
  });

  it('masks every encoding the HTTP client produces', () => {
    const key = "pa ss~!'()*word";
    const forms = [
      key,
      encodeURIComponent(key),
      new URLSearchParams({ k: key }).toString().slice(2),
      JSON.stringify(key).slice(1, -1),
    ];
    for (const form of forms) expect(redact(`<${form}>`, [key]), form).toBe(`<${REDACTED}>`);
  });

  it('keeps short secrets whole-word only and ignores empty ones', () => {
    expect(redact('tok=abcd; abc', ['abcd', undefined, ''])).toBe(`tok=${REDACTED}; abc`);
    expect(redact('nothing here', [])).toBe('nothing here');
  });

  it('reads a live set: a token added later is masked from then on', () => {
    const secrets = new SecretSet([KEY]);
    expect(secrets.redact('Bearer eyJhbGciOiJIUzI1NiJ9.payload')).toBe('Bearer eyJhbGciOiJIUzI1NiJ9.payload');
    secrets.add('eyJhbGciOiJIUzI1NiJ9.payload');
    expect(secrets.redact('Bearer eyJhbGciOiJIUzI1NiJ9.payload')).toBe(`Bearer ${REDACTED}`);
    // The same through redact(), as the HTTP client's messages go, and with the set grown again.
    expect(redact(`${KEY} eyJhbGciOiJIUzI1NiJ9.payload`, secrets)).toBe(`${REDACTED} ${REDACTED}`);
    secrets.add('second-token-0123');
    expect(redact('x second-token-0123 y', secrets)).toBe(`x ${REDACTED} y`);
  });
});

describe('SecretSet.prepare', () => {
  it('builds the mask ahead of the first redact, and a secret added later still counts', () => {
    const set = new SecretSet(['first-secret-0123456789']);
    set.prepare();
    expect(set.redact('key first-secret-0123456789 end')).toBe(`key ${REDACTED} end`);
    set.add('second-secret-9876543210');
    set.prepare();
    expect(set.redact('a second-secret-9876543210 b')).toBe(`a ${REDACTED} b`);
    expect(set.redact('nothing to hide')).toBe('nothing to hide');
  });
});

describe('secrets made of regular-expression characters', () => {
  it('are found as text, whole and in part, and nothing else is', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: `${}` is two of the pattern characters under test
    const key = 'a.*+?^${}()|[]\\/b\nc-0123456789';
    const set = new SecretSet([key]);
    expect(set.redact(`key=${key};`)).toBe(`key=${REDACTED};`);
    // Eight characters of it, cut out of the middle.
    expect(set.redact(`…${key.slice(3, 14)}…`)).toBe(`…${REDACTED}…`);
    // What the pattern would match if it were not escaped: any characters in place of `.*+?`.
    expect(set.redact('axxxxxxxxxxxxxxxxb')).toBe('axxxxxxxxxxxxxxxxb');
    expect(redact(`x ${key} y`, [key])).toBe(`x ${REDACTED} y`);
  });
});
