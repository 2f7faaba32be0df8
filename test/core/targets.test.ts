import { describe, expect, it } from 'vitest';
import { parseHash, pickHash, targetFromHash } from '../../src/core/targets.js';
import { InputError } from '../../src/errors.js';

describe('parseHash', () => {
  it.each([
    ['44D88612FEA8A8F36DE82E1278ABB02F', 'md5', '44d88612fea8a8f36de82e1278abb02f'],
    ['3395856ce81f2b7382dee72602f798b642f14140', 'sha1', '3395856ce81f2b7382dee72602f798b642f14140'],
    [
      ' 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f ',
      'sha256',
      '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
    ],
    [
      '\t275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F\r',
      'sha256',
      '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
    ],
  ])('recognises %j as %s, trimmed and lower-cased', (input, type, value) => {
    expect(parseHash(input)).toEqual({ type, value });
  });

  it.each(['', 'abc', 'g'.repeat(32), '44d88612fea8a8f36de82e1278abb02f0', 'a'.repeat(128)])(
    'rejects %j with a one-line input error',
    (input) => {
      expect(() => parseHash(input)).toThrow(InputError);
      expect(() => parseHash(input)).toThrow(/expected 32, 40 or 64 hexadecimal characters/);
    },
  );
});

describe('targets', () => {
  it('a hash target carries only that hash', () => {
    expect(targetFromHash({ type: 'sha1', value: 'ab'.repeat(20) })).toEqual({
      path: null,
      size: null,
      md5: null,
      sha1: 'ab'.repeat(20),
      sha256: null,
    });
  });

  it('picks the first hash type a service prefers that the target has', () => {
    const target = targetFromHash({ type: 'md5', value: 'a'.repeat(32) });
    expect(pickHash(target, ['sha256', 'md5'])).toEqual({ type: 'md5', value: 'a'.repeat(32) });
    expect(pickHash(target, ['sha256', 'sha1'])).toBeNull();
  });
});
