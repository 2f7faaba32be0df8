import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayName } from '../../src/core/fs-path.js';
import { walkPaths } from '../../src/core/walk.js';
import { collect } from '../helpers/collect.js';
import { tempDir } from '../helpers/temp-dir.js';

const isRoot = process.getuid?.() === 0;

/** nested folders, a symlink loop, a FIFO, a zero-byte file, and a file that cannot be read. */
function fixtureTree(): { dir: string; locked: string } {
  const dir = tempDir('ti-check-tree-');
  mkdirSync(join(dir, 'a', 'b', 'c'), { recursive: true });
  writeFileSync(join(dir, 'top.txt'), 'top');
  writeFileSync(join(dir, 'a', 'b', 'c', 'deep.txt'), 'deep');
  writeFileSync(join(dir, 'a', 'zero.bin'), '');
  symlinkSync(join(dir, 'a'), join(dir, 'a', 'b', 'loop'));
  execFileSync('mkfifo', [join(dir, 'a', 'pipe')]);
  mkdirSync(join(dir, 'locked'));
  // Root reads a chmod-000 file anyway, so as root two files delete each other between listing and
  // reading: whichever is hashed first removes the other, which then cannot be read.
  for (const name of isRoot ? ['one.bin', 'two.bin'] : ['secret.bin']) {
    writeFileSync(join(dir, 'locked', name), name);
    if (!isRoot) chmodSync(join(dir, 'locked', name), 0o000);
  }
  return { dir, locked: join(dir, 'locked') };
}

describe('walkPaths', () => {
  it('walks nested folders, skips FIFOs and symlinks, reports an unreadable file and goes on', async () => {
    const { dir, locked } = fixtureTree();
    const warnings: string[] = [];
    const items = await collect(
      walkPaths([dir], {
        recursive: true,
        followSymlinks: false,
        include: [],
        exclude: [],
        onWarning: (m) => warnings.push(m),
        onHashed: (path) => {
          if (!isRoot || !path.startsWith(locked)) return;
          for (const name of ['one.bin', 'two.bin']) rmSync(join(locked, name), { force: true });
        },
        // As root the files must be read one after another for one to remove the other first;
        // otherwise the default, several files in flight.
        filesInFlight: isRoot ? 1 : undefined,
      }),
    );
    const failed = items.filter((i) => i.error);
    const ok = items.filter((i) => !i.error && !i.target.path?.startsWith(locked));
    const byName = new Map(ok.map((i) => [basename(i.target.path ?? ''), i]));
    expect([...byName.keys()].sort()).toEqual(['deep.txt', 'top.txt', 'zero.bin']);
    expect(byName.get('zero.bin')?.target).toMatchObject({
      size: 0,
      sha256: expect.stringMatching(/^e3b0c442/),
    });
    expect(failed).toHaveLength(1);
    expect(failed[0]?.target.path?.startsWith(locked)).toBe(true);
    expect(failed[0]?.error).toEqual({
      code: 'unreadable',
      message: isRoot ? 'no such file' : 'permission denied',
    });
    expect(warnings).toContain(
      `${join(dir, 'a', 'pipe')}: skipped, not a regular file (FIFO, socket or device)`,
    );
    expect(warnings).toContain('skipped 1 symlink(s) (--follow-symlinks follows them)');
  });

  it('--follow-symlinks detects the loop; --no-recursive stays at the top; globs filter', async () => {
    const { dir } = fixtureTree();
    const warnings: string[] = [];
    const base = { include: [], exclude: [], onWarning: (m: string) => warnings.push(m) };
    const followed = await collect(walkPaths([dir], { ...base, recursive: true, followSymlinks: true }));
    expect(followed.filter((i) => i.target.path?.endsWith('deep.txt'))).toHaveLength(1);
    expect(warnings).toContain(`${join(dir, 'a', 'b', 'loop')}: symlink loop, not followed again`);
    const flat = await collect(walkPaths([dir], { ...base, recursive: false, followSymlinks: false }));
    expect(flat.map((i) => basename(i.target.path ?? ''))).toEqual(['top.txt']);
    const onlyTxt = await collect(
      walkPaths([dir], {
        ...base,
        include: ['*.txt'],
        exclude: ['a/b/**'],
        recursive: true,
        followSymlinks: false,
      }),
    );
    expect(onlyTxt.map((i) => basename(i.target.path ?? ''))).toEqual(['top.txt']);
  });

  it('hashes several files at once yet hands them on in walk order, as one at a time would', async () => {
    const dir = tempDir('ti-check-many-');
    for (let d = 0; d < 3; d++) {
      mkdirSync(join(dir, `d${d}`));
      for (let f = 0; f < 40; f++) {
        // Sizes on both sides of the first read and of a chunk, so reads end in every way.
        const size = [0, 1, 4096, 131_072, 131_073, 1_048_577][(d * 40 + f) % 6] ?? 0;
        writeFileSync(join(dir, `d${d}`, `f${f}`), Buffer.alloc(size, `${d}/${f}`));
      }
    }
    const base = { recursive: true, followSymlinks: false, include: [], exclude: [], onWarning: () => {} };
    const serial = await collect(walkPaths([dir], { ...base, filesInFlight: 1 }));
    const pooled = await collect(walkPaths([dir], base));
    expect(serial).toHaveLength(120);
    expect(pooled).toEqual(serial);
    for (const { target } of pooled.slice(0, 12)) {
      const content = readFileSync(target.path as string);
      expect(target).toMatchObject({
        size: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
      });
    }
  });

  it('--max-size skips larger files with a warning, in a walk and when named', async () => {
    const dir = tempDir('ti-check-max-size-');
    writeFileSync(join(dir, 'small.bin'), Buffer.alloc(100));
    writeFileSync(join(dir, 'large.bin'), Buffer.alloc(101));
    const warnings: string[] = [];
    const options = {
      recursive: true,
      followSymlinks: false,
      include: [],
      exclude: [],
      maxSize: 100,
      onWarning: (m: string) => warnings.push(m),
    };
    const walked = await collect(walkPaths([dir], options));
    expect(walked.map((i) => basename(i.target.path ?? ''))).toEqual(['small.bin']);
    const named = await collect(walkPaths([join(dir, 'large.bin'), join(dir, 'small.bin')], options));
    expect(named.map((i) => basename(i.target.path ?? ''))).toEqual(['small.bin']);
    expect(warnings).toEqual([
      `${join(dir, 'large.bin')}: skipped, 101 bytes is over --max-size`,
      `${join(dir, 'large.bin')}: skipped, 101 bytes is over --max-size`,
    ]);
  });
});

describe('file names that are not UTF-8', () => {
  it('are hashed in a directory walk and shown with their odd bytes escaped', async () => {
    const dir = tempDir('ti-check-bytes-');
    const name = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('evil-é.exe')]);
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), name]), 'MZ payload');
    writeFileSync(join(dir, 'plain.txt'), 'plain');
    const items = [];
    for await (const item of walkPaths([dir], {
      recursive: true,
      followSymlinks: false,
      include: [],
      exclude: [],
      onWarning: () => undefined,
    })) {
      items.push(item);
    }
    expect(items.map((i) => [i.target.path, i.target.sha1, i.error ?? null]).sort()).toEqual(
      [
        [join(dir, '\\xff\\xfeevil-é.exe'), createHash('sha1').update('MZ payload').digest('hex'), null],
        [join(dir, 'plain.txt'), createHash('sha1').update('plain').digest('hex'), null],
      ].sort(),
    );
  });

  it('displayName keeps valid UTF-8 and escapes the rest, overlong forms included', () => {
    expect(displayName(Buffer.from('résumé.pdf'))).toBe('résumé.pdf');
    expect(displayName(Buffer.from([0x61, 0xc0, 0xaf, 0x62, 0xe2, 0x82]))).toBe('a\\xc0\\xafb\\xe2\\x82');
  });
});
