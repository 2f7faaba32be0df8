import { describe, expect, it } from 'vitest';
import { rawArguments, terminalLines } from '../../src/cli/io.js';
import { terminalSafe, terminalSafeDeep } from '../../src/render/terminal-text.js';

describe('terminalSafe', () => {
  it('shows escape sequences, CR/BS overwrites and C1 controls as visible escapes', () => {
    expect(terminalSafe('a\u001b[2Jb\u001b]0;pwned\u0007c\rd\be\u009bf\u007f')).toBe(
      'a\\u001b[2Jb\\u001b]0;pwned\\u0007c\\rd\\be\\u009bf\\u007f',
    );
  });

  it('neutralises bidi overrides and invisible formatting: exe.txt never reads as txt.exe', () => {
    expect(terminalSafe('invoice\u202etxt.exe')).toBe('invoice\\u202etxt.exe');
    expect(terminalSafe('a\u200bb\u2066c\ufeff')).toBe('a\\u200bb\\u2066c\\ufeff');
  });

  it('leaves ordinary text alone, accents and box drawing included', () => {
    expect(terminalSafe('Trojan:Win32/Wacatac.B!ml · résumé ▸ │')).toBe(
      'Trojan:Win32/Wacatac.B!ml · résumé ▸ │',
    );
  });

  it('reaches every string of a result, keys kept', () => {
    expect(terminalSafeDeep({ a: ['x\u001b', { b: 'y\n' }], n: 1, z: null })).toEqual({
      a: ['x\\u001b', { b: 'y\\n' }],
      n: 1,
      z: null,
    });
  });
});

describe('terminalLines (stderr)', () => {
  it('keeps the CLI line ends and escapes what a message quotes', () => {
    let written = '';
    const stream = terminalLines({ write: (chunk: string) => (written += chunk) });
    stream.write('ti-check: cannot read evil\u001b]8;;http://x\u0007.exe\n');
    stream.status?.('3/10 targets');
    expect(written).toBe('ti-check: cannot read evil\\u001b]8;;http://x\\u0007.exe\n\r\u001b[K3/10 targets');
  });

  it('a message printed under the progress line wipes it, then draws it again below', () => {
    let written = '';
    const stream = terminalLines({ write: (chunk: string) => (written += chunk) });
    stream.status?.('3/10 targets');
    stream.write('ti-check: list.txt:4: not a hash\n');
    // What the terminal then shows: the warning on a line of its own, the progress line under it.
    expect(written).toBe(
      '\r\u001b[K3/10 targets\r\u001b[Kti-check: list.txt:4: not a hash\n\r\u001b[K3/10 targets',
    );
    stream.status?.('');
    stream.write('ti-check: done\n');
    expect(written.endsWith('\r\u001b[Kti-check: done\n')).toBe(true);
  });

  it('wraps a long message at the terminal width with an indent, and leaves a log line whole', () => {
    const long = `ti-check: 1 of 1 target malicious: ${'a'.repeat(64)} (VirusTotal 53/62, MalwareBazaar AgentTesla)`;
    let tty = '';
    terminalLines({ isTTY: true, columns: 80, write: (c: string) => (tty += c) }).write(`${long}\n`);
    expect(
      tty
        .split('\n')
        .slice(0, -1)
        .every((l) => l.length <= 80),
    ).toBe(true);
    expect(tty.split('\n')[1]?.startsWith('  ')).toBe(true);
    let log = '';
    terminalLines({ isTTY: false, write: (c: string) => (log += c) }).write(`${long}\n`);
    expect(log).toBe(`${long}\n`);
  });
});

describe('rawArguments', () => {
  const cmdline =
    (...args: Buffer[]) =>
    () =>
      Buffer.concat(args.flatMap((a) => [a, Buffer.from([0])]));
  it('maps an argument Node decoded lossily to its raw bytes', () => {
    const raw = Buffer.from([0x61, 0xff, 0x62]);
    const lossy = raw.toString('utf8');
    const map = rawArguments(
      ['--json', lossy],
      cmdline(Buffer.from('node'), Buffer.from('bin.js'), Buffer.from('--json'), raw),
    );
    expect([...map]).toEqual([[lossy, raw]]);
  });

  it('reads nothing when every argument is UTF-8, and gives up when the lists do not line up', () => {
    expect(rawArguments(['a.exe'], () => Buffer.from('should not be read')).size).toBe(0);
    const lossy = Buffer.from([0xff]).toString('utf8');
    expect(rawArguments([lossy], cmdline(Buffer.from('node'), Buffer.from('x'))).size).toBe(0);
  });
});
