import { describe, expect, it } from 'vitest';
import { fillHashes } from '../../src/core/fill-hashes.js';
import type { ServiceResult, Target } from '../../src/model/report.js';

const MD5 = '44d88612fea8a8f36de82e1278abb02f';
const SHA1 = '3395856ce81f2b7382dee72602f798b642f14140';
const SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
const byMd5: Target = { path: null, size: null, md5: MD5, sha1: null, sha256: null };

function row(service: string, hashes: ServiceResult['hashes'], status: ServiceResult['status'] = 'found') {
  return {
    service,
    status,
    verdict: status === 'found' ? 'malicious' : null,
    stats: null,
    entries: [],
    link: null,
    error: null,
    summary: null,
    hint: null,
    durationMs: 1,
    hashes,
  } as ServiceResult;
}

describe('fillHashes', () => {
  it("completes a lookup by MD5 from a service's digests, naming the source of each", () => {
    const filled = fillHashes(byMd5, [
      row('hashlookup', { md5: MD5, sha1: SHA1 }),
      row('virustotal', { md5: MD5, sha1: SHA1, sha256: SHA256 }),
    ]);
    expect(filled).toEqual({
      ...byMd5,
      sha1: SHA1,
      sha256: SHA256,
      hashesFrom: { sha1: 'hashlookup', sha256: 'virustotal' },
    });
  });

  it('ignores a service whose digests contradict what is known, or name none of it', () => {
    const other = 'f'.repeat(32);
    expect(fillHashes(byMd5, [row('liar', { md5: other, sha256: 'e'.repeat(64) })])).toBe(byMd5);
    // No hash in common: nothing ties that answer to this file.
    expect(fillHashes(byMd5, [row('vague', { sha256: 'e'.repeat(64) })])).toBe(byMd5);
  });

  it('takes nothing from rows that did not find the file, and leaves a complete target alone', () => {
    expect(fillHashes(byMd5, [row('x', { md5: MD5, sha256: SHA256 }, 'not_found')])).toBe(byMd5);
    const full: Target = { ...byMd5, sha1: SHA1, sha256: SHA256 };
    expect(fillHashes(full, [row('virustotal', { md5: MD5, sha1: SHA1, sha256: SHA256 })])).toBe(full);
  });
});
