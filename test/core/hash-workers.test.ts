import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileHasher } from '../../src/core/hash-workers.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('ti-check-hash-workers-');
const reference = (content: Buffer) => ({
  size: content.length,
  md5: createHash('md5').update(content).digest('hex'),
  sha1: createHash('sha1').update(content).digest('hex'),
  sha256: createHash('sha256').update(content).digest('hex'),
});

describe('fileHasher (workers for a walk of many files)', () => {
  it('hashes every file to its own digest, in place and on workers, large ones back on the main thread', async () => {
    const sizes = Array.from({ length: 60 }, (_, i) => (i * 7919) % 300_000);
    sizes[40] = 17 * 1024 * 1024; // over the size from which the main thread's large-file path runs
    const contents = sizes.map((size, i) => Buffer.concat([Buffer.from(`${i}:`), randomBytes(size)]));
    const paths = contents.map((content, i) => {
      const path = join(dir, `f${i}`);
      writeFileSync(path, content);
      return path;
    });
    const hash = fileHasher();
    const digests = await Promise.all(paths.map((path) => hash(path)));
    for (const [i, digest] of digests.entries()) expect(digest).toEqual(reference(contents[i] as Buffer));
  });

  it('rejects a file a worker cannot read with the file system error code', async () => {
    const hash = fileHasher();
    const present = join(dir, 'present');
    writeFileSync(present, 'x');
    const answers = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => hash(i % 2 ? present : join(dir, `missing-${i}`))),
    );
    for (const [i, answer] of answers.entries()) {
      if (i % 2) expect(answer).toMatchObject({ status: 'fulfilled', value: { size: 1 } });
      else expect(answer).toMatchObject({ status: 'rejected', reason: { code: 'ENOENT' } });
    }
  });

  it('drops files still with a worker when the walk is interrupted', async () => {
    const path = join(dir, 'small');
    writeFileSync(path, 'abc');
    const hash = fileHasher();
    const controller = new AbortController();
    const answers = Array.from({ length: 30 }, () => hash(path, controller.signal));
    controller.abort(new Error('interrupted'));
    const settled = await Promise.allSettled(answers);
    // The first files were hashed in place at once (as are those a busy worker left to the main
    // thread); those sent to a worker are dropped.
    expect(settled.slice(0, 16).every((answer) => answer.status === 'fulfilled')).toBe(true);
    const dropped = settled.filter((answer) => answer.status === 'rejected');
    expect(dropped.length).toBeGreaterThan(0);
    for (const answer of dropped) expect(answer.reason).toEqual(new Error('interrupted'));
    await expect(hash(path, controller.signal)).rejects.toThrow('interrupted');
  });
});
