import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashFile } from '../../src/core/hash.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('ti-check-hash-');
function file(name: string, content: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('hashFile', () => {
  it('hashes an empty file (known vectors)', async () => {
    expect(await hashFile(file('empty', ''))).toEqual({
      size: 0,
      md5: 'd41d8cd98f00b204e9800998ecf8427e',
      sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
  });

  it('hashes "abc" (FIPS 180 / RFC 1321 vectors)', async () => {
    expect(await hashFile(file('abc', 'abc'))).toEqual({
      size: 3,
      md5: '900150983cd24fb0d6963f7d28e17f72',
      sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
  });

  it('hashes the EICAR test string', async () => {
    const eicar = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
    const digest = await hashFile(file('eicar.com', eicar));
    expect(digest.md5).toBe('44d88612fea8a8f36de82e1278abb02f');
    expect(digest.sha256).toBe('275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f');
  });

  it('streams a multi-megabyte file across chunk boundaries', async () => {
    const content = randomBytes(5 * 1024 * 1024 + 123);
    const reference = (algorithm: string) => createHash(algorithm).update(content).digest('hex');
    expect(await hashFile(file('big.bin', content))).toEqual({
      size: content.length,
      md5: reference('md5'),
      sha1: reference('sha1'),
      sha256: reference('sha256'),
    });
  });

  it('hashes many files at once, of sizes around each read boundary, each to its own digest', async () => {
    const sizes = [
      1,
      1023,
      65_536,
      131_071,
      131_072,
      131_073,
      262_144,
      1_048_576 + 131_072,
      1_048_577 + 131_072,
    ];
    const contents = sizes.map((size, i) => randomBytes(size).fill(i, 0, 1));
    const paths = contents.map((content, i) => file(`at-${i}.bin`, content));
    // Over and over, all at once, read each way: reused read buffers must never mix one file's
    // bytes into another's.
    const ways = [undefined, 'direct', 'pooled'] as const;
    const digests = await Promise.all(
      ways.flatMap((how) => [...paths, ...paths].map((path) => hashFile(path, { read: how }))),
    );
    digests.forEach((digest, i) => {
      const content = contents[i % contents.length] as Buffer;
      expect(digest).toEqual({
        size: content.length,
        md5: createHash('md5').update(content).digest('hex'),
        sha1: createHash('sha1').update(content).digest('hex'),
        sha256: createHash('sha256').update(content).digest('hex'),
      });
    });
  });

  it.each(['direct', 'pooled'] as const)(
    'read %s: stops when the run is interrupted, rejects a directory and a missing file',
    async (how) => {
      const controller = new AbortController();
      controller.abort(new Error('interrupted'));
      await expect(hashFile(file('any.bin', 'x'), { signal: controller.signal, read: how })).rejects.toThrow(
        'interrupted',
      );
      await expect(hashFile(dir, { read: how })).rejects.toMatchObject({ code: 'EISDIR' });
      await expect(hashFile(join(dir, 'missing'), { read: how })).rejects.toMatchObject({ code: 'ENOENT' });
      // Interrupted between the chunks of a large file.
      const large = file('large-abort.bin', randomBytes(3 * 1024 * 1024));
      const midway = new AbortController();
      const hashing = hashFile(large, { signal: midway.signal, read: how });
      midway.abort(new Error('interrupted'));
      await expect(hashing).rejects.toThrow('interrupted');
    },
  );

  describe('MD5 on a worker thread (large files)', () => {
    const reference = (content: Buffer) => ({
      size: content.length,
      md5: createHash('md5').update(content).digest('hex'),
      sha1: createHash('sha1').update(content).digest('hex'),
      sha256: createHash('sha256').update(content).digest('hex'),
    });

    it('gives the same digests as one pass, for many files at once (more than there are workers)', async () => {
      const MiB = 1024 * 1024;
      const sizes = [131_073, MiB, MiB + 131_072, 3 * MiB + 1, 4 * MiB - 1];
      const contents = sizes.map((size, i) => randomBytes(size).fill(i, 0, 1));
      const paths = contents.map((content, i) => file(`lane-${i}.bin`, content));
      const digests = await Promise.all(
        [...paths, ...paths].map((path) => hashFile(path, { offloadFromBytes: 0 })),
      );
      digests.forEach((digest, i) => {
        expect(digest).toEqual(reference(contents[i % contents.length] as Buffer));
      });
    });

    it('stops when interrupted midway, and the worker then hashes the next file right', async () => {
      const large = randomBytes(6 * 1024 * 1024);
      const path = file('lane-abort.bin', large);
      for (let attempt = 0; attempt < 3; attempt++) {
        const midway = new AbortController();
        const hashing = hashFile(path, { signal: midway.signal, offloadFromBytes: 0 });
        setImmediate(() => midway.abort(new Error('interrupted')));
        await expect(hashing).rejects.toThrow('interrupted');
      }
      expect(await hashFile(path, { offloadFromBytes: 0 })).toEqual(reference(large));
    });
  });
});
