/** What `ti-check [paths..]` is asked to do, as `main` parses it from the command line. */
import type { SortOrder } from '../render/common.js';
import type { Format } from '../render/index.js';
import type { FailLevel } from './exit-codes.js';

export interface CheckArgs {
  files: string[];
  hash: string[];
  /** `--format` (or --json / --ndjson); undefined when none was given. */
  format?: Format;
  services?: string[];
  timeout?: number;
  config?: string;
  /** `-o <file>`, repeatable: write the report there (atomically); see planOutputs. */
  output?: string[];
  /** `--quiet`: no report on stdout (files are still written), no progress; the gate's line stays. */
  quiet?: boolean;
  all: boolean;
  open: boolean;
  /** Policy flags; each one left out falls back to the config's `policy`, then the default. */
  failOn?: FailLevel;
  failOnIncomplete?: boolean;
  allow?: string;
  minMaliciousEngines?: number;
  minDetectionRatio?: number;
  trustedEngines?: string[];
  ignoreServices?: string[];
  hashFile?: string[];
  recursive?: boolean;
  followSymlinks?: boolean;
  include?: string[];
  exclude?: string[];
  maxSize?: string;
  cache?: boolean;
  refresh?: boolean;
  offline?: boolean;
  plan?: boolean;
  skipKnownGood?: boolean;
  debug?: boolean;
  /** Report order (default: worst first). */
  sort?: SortOrder;
  /** Report only flagged and unreadable targets; the exit code still counts every one. */
  onlyFlagged?: boolean;
}

/** What `main` turns a lone `-` into (yargs would drop it). */
export const STDIN_ARG = '\u0000stdin';
