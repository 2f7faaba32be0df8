import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { BatchItem } from '../../src/core/batch-item.js';
import { MAX_LINE_CHARS, readHashList } from '../../src/core/hash-list.js';
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
    const items = (
      await collect(readHashList(input, { source: 'list.txt', onWarning: (m) => warnings.push(m) }))
    ).flat();
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
    const items = (await collect(readHashList(input, { source: '-', onWarning: () => {} }))).flat();
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
    const items = (
      await collect(readHashList(input, { source: 'edr.csv', onWarning: (m) => warnings.push(m) }))
    ).flat();
    expect(items.map((i) => [i.target.md5 ?? i.target.sha1 ?? i.target.sha256, i.target.name])).toEqual([
      ['a'.repeat(32), 'invoice.exe'],
      ['c'.repeat(40), 'dropper.dll'],
      ['d'.repeat(64), 'from the tab-separated export'],
    ]);
    // The header line is skipped quietly: its first field is not even hexadecimal.
    expect(warnings).toEqual([]);
  });

  it('ends lines at \\n, \\r\\n and a lone \\r, wherever the chunks split them, and numbers them as readline does', async () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const c = 'c'.repeat(40);
    const d = 'd'.repeat(40);
    // A \r\n split across two chunks is one line end; a chunk of a lone \r too; no end after the last line.
    const input = Readable.from([
      `${a}  first\r`,
      '\nbad one\r',
      '\r',
      `\n${b}\rworse\n\n`,
      `${c}\r\n${d}  last`,
    ]);
    const warnings: string[] = [];
    const items = (
      await collect(readHashList(input, { source: 'crlf.txt', onWarning: (m) => warnings.push(m) }))
    ).flat();
    expect(items.map((i) => [i.target.sha1, i.target.name])).toEqual([
      [a, 'first'],
      [b, undefined],
      [c, undefined],
      [d, 'last'],
    ]);
    // Lines: 1 first, 2 "bad one", 3 blank (the lone \r, then \n), 4 b, 5 worse, 6 blank, 7 c, 8 d.
    expect(warnings).toEqual([
      expect.stringMatching(/^crlf\.txt:2: /),
      expect.stringMatching(/^crlf\.txt:5: /),
    ]);
  });

  it('decodes UTF-8 split across byte chunks, and hands a long list on in batches', async () => {
    const hashes = Array.from({ length: 5000 }, (_, i) => i.toString(16).padStart(40, '0'));
    const text = `${hashes.map((h) => `${h}  café ${h.slice(-4)}`).join('\n')}\n`;
    const bytes = Buffer.from(text, 'utf8');
    // 4,099-byte chunks: some split the two bytes of "é".
    const chunks = Array.from({ length: Math.ceil(bytes.length / 4099) }, (_, i) =>
      bytes.subarray(i * 4099, (i + 1) * 4099),
    );
    const batches = await collect(readHashList(Readable.from(chunks), { source: '-', onWarning: () => {} }));
    expect(batches.length).toBeGreaterThan(10);
    const items = batches.flat();
    expect(items.map((i) => i.target.sha1)).toEqual(hashes);
    expect(items.every((i, n) => i.target.name === `café ${hashes[n]?.slice(-4)}`)).toBe(true);
  });

  it('stops at once on abort, even while the producer is still connected', async () => {
    const input = new PassThrough();
    input.write(`${'c'.repeat(40)}\n`);
    const controller = new AbortController();
    const seen: BatchItem[] = [];
    const reading = (async () => {
      for await (const batch of readHashList(input, {
        source: 'stdin',
        signal: controller.signal,
        onWarning() {},
      })) {
        seen.push(...batch);
        controller.abort();
      }
    })();
    await reading;
    expect(seen).toHaveLength(1);
    expect(input.destroyed).toBe(true);
  });
});

describe('readHashList and over-long lines', () => {
  const read = async (chunks: string[]) => {
    const warnings: string[] = [];
    const items = (
      await collect(
        readHashList(Readable.from(chunks), { source: 'list.txt', onWarning: (m) => warnings.push(m) }),
      )
    ).flat();
    return { hashes: items.map((i) => i.target.md5 ?? i.target.sha1 ?? i.target.sha256), warnings };
  };
  const long = 'x'.repeat(MAX_LINE_CHARS + 1);

  it('skips a line longer than the limit as it streams past, and numbers the lines after it right', async () => {
    // The long line comes in pieces, and its `\r\n` is cut between two chunks.
    const { hashes, warnings } = await read([
      `${'a'.repeat(32)}\r\n`,
      long.slice(0, 40_000),
      long.slice(40_000),
      'yyyy\r',
      `\n${'b'.repeat(64)}\r\nnope\r\n`,
    ]);
    expect(hashes).toEqual(['a'.repeat(32), 'b'.repeat(64)]);
    expect(warnings).toEqual([
      'list.txt:2: line longer than 65,536 characters, skipped',
      expect.stringMatching(/^list\.txt:4: not an MD5, SHA1 or SHA256 hash: "nope"/),
    ]);
  });

  it('says the same of a long line that came whole in one chunk', async () => {
    const { hashes, warnings } = await read([`${long}\n${'a'.repeat(32)}\n`]);
    expect(hashes).toEqual(['a'.repeat(32)]);
    expect(warnings).toEqual(['list.txt:1: line longer than 65,536 characters, skipped']);
  });

  it('never holds more than a line of it: 16 MiB without a line end is one warning', async () => {
    const piece = 'z'.repeat(64 * 1024);
    const { hashes, warnings } = await read([
      ...Array.from({ length: 256 }, () => piece),
      `\n${'c'.repeat(40)}`,
    ]);
    expect(hashes).toEqual(['c'.repeat(40)]);
    expect(warnings).toEqual(['list.txt:1: line longer than 65,536 characters, skipped']);
  });
});
