import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { BatchItem } from '../../src/core/batch-item.js';
import { readHashList } from '../../src/core/hash-list.js';
import { collect } from '../helpers/collect.js';

describe('readHashList', () => {
  it('keeps labels, skips blanks and comments, reports invalid lines by number', async () => {
    const input = Readable.from([
      '# header\n',
      '\n',
      `${'a'.repeat(32)}  my label\n`,
      'nope\n',
      `${'B'.repeat(64)}\n`,
    ]);
    const warnings: string[] = [];
    const items = await collect(
      readHashList(input, { source: 'list.txt', onWarning: (m) => warnings.push(m) }),
    );
    expect(items.map((i) => i.target)).toEqual([
      { path: null, size: null, md5: 'a'.repeat(32), sha1: null, sha256: null, name: 'my label' },
      { path: null, size: null, md5: null, sha1: null, sha256: 'b'.repeat(64) },
    ]);
    expect(warnings).toEqual([
      expect.stringMatching(/^list\.txt:4: not an MD5, SHA1 or SHA256 hash: "nope"/),
    ]);
  });

  it('reads sha256sum / md5sum output: the file name is the label, binary mark and escapes undone', async () => {
    // What `sha256sum a 'b c' bin.exe "$(printf 'x\\ny')"` and `sha256sum -b` print.
    const input = Readable.from([
      `${'a'.repeat(64)}  dist/app.exe\n`,
      `${'b'.repeat(64)}  dir with spaces/b c.dll\n`,
      `${'c'.repeat(64)} *bin.exe\n`,
      `\\${'d'.repeat(64)}  odd\\nname\\\\x\n`,
      `${'e'.repeat(32)}  *starred name*\n`,
    ]);
    const items = await collect(readHashList(input, { source: '-', onWarning: () => {} }));
    expect(items.map((i) => i.target.name)).toEqual([
      'dist/app.exe',
      'dir with spaces/b c.dll',
      'bin.exe',
      'odd\nname\\x',
      '*starred name*',
    ]);
  });

  it('reads a CSV export whose first column is the hash: header, quotes, CRLF and BOM included', async () => {
    const input = Readable.from([
      '\uFEFFmd5,file name\r\n',
      `${'a'.repeat(32)},invoice.exe\r\n`,
      `"${'c'.repeat(40)}";"dropper.dll"\r\n`,
      `${'d'.repeat(64)}\tfrom the tab-separated export\r\n`,
    ]);
    const warnings: string[] = [];
    const items = await collect(
      readHashList(input, { source: 'edr.csv', onWarning: (m) => warnings.push(m) }),
    );
    expect(items.map((i) => [i.target.md5 ?? i.target.sha1 ?? i.target.sha256, i.target.name])).toEqual([
      ['a'.repeat(32), 'invoice.exe'],
      ['c'.repeat(40), 'dropper.dll'],
      ['d'.repeat(64), 'from the tab-separated export'],
    ]);
    // The header line is skipped quietly: its first field is not even hexadecimal.
    expect(warnings).toEqual([]);
  });

  it('stops at once on abort, even while the producer is still connected', async () => {
    const input = new PassThrough();
    input.write(`${'c'.repeat(40)}\n`);
    const controller = new AbortController();
    const seen: BatchItem[] = [];
    const reading = (async () => {
      for await (const item of readHashList(input, {
        source: 'stdin',
        signal: controller.signal,
        onWarning() {},
      })) {
        seen.push(item);
        controller.abort();
      }
    })();
    await reading;
    expect(seen).toHaveLength(1);
    expect(input.destroyed).toBe(true);
  });
});
