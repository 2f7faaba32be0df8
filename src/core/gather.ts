/** The gather stage: every input turned into batch items, in a fixed order. */
import type { Readable } from 'node:stream';
import type { TargetResult } from '../model/report.js';
import type { BatchItem } from './batch-item.js';
import type { FsPath } from './fs-path.js';
import { openHashList, readHashList } from './hash-list.js';
import { walkPaths } from './walk.js';

export interface WalkSettings {
  recursive: boolean;
  followSymlinks: boolean;
  include: readonly string[];
  exclude: readonly string[];
  maxSize: number | undefined;
}

export interface GatherRequest {
  paths: readonly FsPath[];
  hashes: readonly TargetResult['target'][];
  hashFiles: readonly string[];
  /** Read as one more hash list when given. */
  stdin?: Readable;
  walk: WalkSettings;
}

export interface GatherOptions {
  signal?: AbortSignal;
  onWarning(message: string): void;
  /** A hash-list line that is not a hash (the run exits 2 at the end). */
  onInvalidLine(message: string): void;
}

/**
 * Files and directories first, then --hash values, then hash lists (stdin once, however often
 * named). Batches of targets: a hash list's come a chunk of lines at a time (readHashList), a walk's
 * one file at a time.
 */
export async function* gatherTargets(
  request: GatherRequest,
  options: GatherOptions,
): AsyncGenerator<readonly BatchItem[]> {
  const { signal } = options;
  for await (const item of walkPaths(request.paths, {
    ...request.walk,
    signal,
    onWarning: options.onWarning,
  })) {
    yield [item];
  }
  if (request.hashes.length > 0) yield request.hashes.map((target) => ({ target }));
  for (const file of request.hashFiles) {
    yield* readHashList(openHashList(file), { source: file, signal, onWarning: options.onInvalidLine });
  }
  if (request.stdin) {
    yield* readHashList(request.stdin, { source: 'stdin', signal, onWarning: options.onInvalidLine });
  }
}
