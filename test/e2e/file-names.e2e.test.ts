/** File names that are not UTF-8, named on the command line as a shell passes them (raw bytes). */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { assertBuilt, BIN, isolatedEnv } from '../helpers/run-bin.js';
import { tempDir } from '../helpers/temp-dir.js';

beforeAll(() => assertBuilt());

describe('a file name that is not UTF-8 (built binary)', () => {
  it('is hashed when named on the command line, and shown with its bytes escaped', () => {
    const dir = tempDir('ti-check-names-');
    writeFileSync(
      Buffer.from([...Buffer.from(`${dir}/`), 0xff, 0xfe, ...Buffer.from('evil.exe')]),
      'MZ payload',
    );
    // bash passes the bytes as they are; Node alone would turn them into U+FFFD.
    const { status, stdout } = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${BIN}" "$1/$(printf '\\xff\\xfe')evil.exe" --services=hashlookup --offline --json`,
        'ti-check',
        dir,
      ],
      { env: isolatedEnv(), encoding: 'utf8' },
    );
    // --offline with an empty cache: nobody answers, exit 3; the point is that the file was read.
    expect(status).toBe(3);
    const [result] = (JSON.parse(stdout) as Report).results;
    expect(result?.target).toMatchObject({
      path: `${dir}/\\xff\\xfeevil.exe`,
      size: 10,
      sha256: '48bf631186b8c57da7e7a47b870604e8d58fa140633ee0c899cf25a549ebd7a6',
    });
  });
});
