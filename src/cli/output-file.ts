/** `--output <file>`: the report lands whole or not at all (temp file in the same folder, then rename). */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';

export async function writeFileAtomic(path: string, text: string, cwd: string): Promise<string> {
  const target = resolve(cwd, path);
  // Same folder as the target, so the rename never crosses file systems.
  const temp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, target);
  } catch (cause) {
    await rm(temp, { force: true });
    const reason = cause instanceof Error && 'code' in cause ? String(cause.code) : String(cause);
    throw new InputError(`--output ${path}: cannot write (${reason})`, { cause });
  }
  return target;
}
