/** `--output <file>`: the report lands whole or not at all (temp file in the same folder, then rename). */
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { Format } from '../render/index.js';

export async function writeFileAtomic(path: string, text: string, cwd: string): Promise<string> {
  const target = resolve(cwd, path);
  // Same folder as the target, so the rename never crosses file systems.
  const temp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex')}.tmp`,
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

/** The format a file name asks for by its extension (`report.sarif` → sarif), if it names one. */
const BY_EXTENSION: Record<string, Format> = {
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  csv: 'csv',
  sarif: 'sarif',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
  txt: 'table',
};

export function formatOfFile(path: string): Format | undefined {
  const ext = extname(path).slice(1).toLowerCase();
  return Object.hasOwn(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : undefined;
}

export interface OutputPlan {
  /** Each `-o` file and the format written to it. */
  files: { path: string; format: Format }[];
  /** What goes to stdout: a format, or nothing (one `-o`, or --quiet). */
  stdout: Format | null;
}

/**
 * Where the report goes. No `-o`: stdout, in --format (table by default). One `-o`: that file, in
 * --format or else the format its extension names (else table), stdout left empty as pipelines
 * expect. Several `-o`: each file in the format its extension names (--format for one that names
 * none), and the terminal report on stdout too, so a CI job asks the vendors once for all of them.
 */
export function planOutputs(
  paths: readonly string[],
  format: Format | undefined,
  quiet: boolean,
): OutputPlan {
  if (paths.length === 0) return { files: [], stdout: quiet ? null : (format ?? 'table') };
  if (paths.length === 1) {
    const path = paths[0] as string;
    return { files: [{ path, format: format ?? formatOfFile(path) ?? 'table' }], stdout: null };
  }
  const files = paths.map((path) => {
    const chosen = formatOfFile(path) ?? format;
    if (!chosen) {
      throw new InputError(
        `-o ${path}: its extension names no format (.json, .ndjson, .csv, .sarif, .md, .html, .txt): rename it or add --format`,
      );
    }
    return { path, format: chosen };
  });
  return { files, stdout: quiet ? null : 'table' };
}
