import { InputError } from '../errors.js';
import type { HashRef, HashType, Target } from '../model/report.js';

const HASH_TYPE_BY_LENGTH: Record<number, HashType> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/** Recognise a hash by its length; anything but 32/40/64 hex characters is an input error. */
export function parseHash(input: string): HashRef {
  const value = input.trim().toLowerCase();
  const type = /^[0-9a-f]+$/.test(value) ? HASH_TYPE_BY_LENGTH[value.length] : undefined;
  if (!type) {
    throw new InputError(
      `not an MD5, SHA1 or SHA256 hash: "${input}" (expected 32, 40 or 64 hexadecimal characters)`,
    );
  }
  return { type, value };
}

export function targetFromHash(hash: HashRef): Target {
  return { path: null, size: null, md5: null, sha1: null, sha256: null, [hash.type]: hash.value };
}

/** The hashes a target has, in the order a service prefers them. */
export function pickHash(target: Target, preferred: readonly HashType[]): HashRef | null {
  for (const type of preferred) {
    const value = target[type];
    if (value) return { type, value };
  }
  return null;
}
