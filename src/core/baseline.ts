/**
 * `--baseline <report.json>`: an earlier JSON report, read as hostile input — bounded in size, parsed,
 * then validated against the current report schema (which accepts every earlier schemaVersion 1
 * report). Anything else is one clear InputError (exit 2).
 */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { reportSchema } from '../model/report.js';
import { type Baseline, indexBaseline } from './drift.js';

/** The largest baseline read: a JSON report of some 10,000 files with every engine row. */
export const MAX_BASELINE_BYTES = 256 * 1024 * 1024;

export async function readBaseline(path: string, cwd: string): Promise<Baseline> {
  const fail = (why: string, cause?: unknown): never => {
    throw new InputError(`--baseline ${path}: ${why}`, { cause });
  };
  let text = '';
  try {
    const file = await open(resolve(cwd, path), 'r');
    try {
      const { size, isFile } = await file.stat().then((s) => ({ size: s.size, isFile: s.isFile() }));
      if (!isFile) fail('not a file');
      if (size > MAX_BASELINE_BYTES) fail(`larger than ${MAX_BASELINE_BYTES / 1024 / 1024} MiB`);
      // Read at most one byte past the bound: a file that grows while it is read is still refused.
      const buffer = Buffer.alloc(Math.min(size, MAX_BASELINE_BYTES) + 1);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_BASELINE_BYTES) fail(`larger than ${MAX_BASELINE_BYTES / 1024 / 1024} MiB`);
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await file.close();
    }
  } catch (cause) {
    if (cause instanceof InputError) throw cause;
    const code = cause instanceof Error && 'code' in cause ? String(cause.code) : String(cause);
    fail(`cannot read it: ${code}`, cause);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    fail('not JSON: give a report written by ti-check --json (or -o report.json)', cause);
  }
  return baselineFrom(data, `--baseline ${path}`);
}

/** An earlier report as data (read from a file, or handed over by a library caller) → its index. */
export function baselineFrom(data: unknown, where: string): Baseline {
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new InputError(
      `${where}: not a ti-check JSON report (schemaVersion 1)${at}: ${issue?.message ?? 'invalid'}`.replace(
        /[\r\n]+/g,
        ' ',
      ),
    );
  }
  return indexBaseline(parsed.data as NonNullable<typeof parsed.data>);
}
