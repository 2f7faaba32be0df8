import { describe, expect, it } from 'vitest';
import { withColor } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { fakeIo } from '../helpers/fake-io.js';
import { engines, fakeService } from '../helpers/fake-services.js';

const EICAR_MD5 = '44d88612fea8a8f36de82e1278abb02f';
const registry = [fakeService('engines', () => ({ entries: engines(5, 1, 10) }))];
const ESC = '\u001b[';

async function coloured(args: string, options: { env?: NodeJS.ProcessEnv; isTTY?: boolean } = {}) {
  const io = fakeIo(options);
  const code = await main(args.split(' '), io, registry);
  expect(io.err()).not.toMatch(/unknown|internal/);
  expect(code === 0 || code === 1).toBe(true);
  return io.out().includes(ESC);
}

describe('--color / --no-color', () => {
  it('colour follows the terminal when neither flag is given', async () => {
    expect(await coloured(`--hash ${EICAR_MD5}`)).toBe(false);
    expect(await coloured(`--hash ${EICAR_MD5}`, { isTTY: true })).toBe(true);
  });

  it('--color forces colour into a pipe, over NO_COLOR and TERM=dumb', async () => {
    expect(await coloured(`--hash ${EICAR_MD5} --color`)).toBe(true);
    expect(await coloured(`--hash ${EICAR_MD5} --color`, { env: { NO_COLOR: '1', TERM: 'dumb' } })).toBe(
      true,
    );
  });

  it('--no-color switches colour off on a terminal, over FORCE_COLOR', async () => {
    expect(await coloured(`--hash ${EICAR_MD5} --no-color`, { isTTY: true })).toBe(false);
    expect(await coloured(`--hash ${EICAR_MD5} --no-color`, { isTTY: true, env: { FORCE_COLOR: '1' } })).toBe(
      false,
    );
    expect(await coloured(`--hash ${EICAR_MD5} --color=false`, { isTTY: true })).toBe(false);
  });

  it('ti-check services takes them too', async () => {
    expect(await coloured('services --color')).toBe(true);
    expect(await coloured('services --no-color', { isTTY: true })).toBe(false);
  });

  it('leaves the caller’s environment alone', () => {
    const io = fakeIo({ env: { NO_COLOR: '1' } });
    expect(withColor(io, undefined)).toBe(io);
    expect(withColor(io, true).env).toMatchObject({ FORCE_COLOR: '1' });
    expect(withColor(io, true).env.NO_COLOR).toBeUndefined();
    expect(withColor(io, false).env.NO_COLOR).toBe('1');
    expect(io.env.NO_COLOR).toBe('1');
    expect(io.env.FORCE_COLOR).toBeUndefined();
  });
});
