/**
 * The vendor-neutral model of a report. Every adapter maps into it; every renderer reads from it.
 * Field names here are the JSON contract (schemaVersion 1).
 */

export const CATEGORIES = ['malicious', 'suspicious', 'clean', 'undetected'] as const;
/** What one engine, sandbox report or listing says about the file. */
export type Category = (typeof CATEGORIES)[number];

/** A file's overall verdict: `unknown` when no service found the hash. */
export type OverallVerdict = Category | 'unknown';

export const STATUSES = ['found', 'not_found', 'disabled', 'unsupported', 'error'] as const;
export type Status = (typeof STATUSES)[number];

export const HASH_TYPES = ['md5', 'sha1', 'sha256'] as const;
export type HashType = (typeof HASH_TYPES)[number];

export type ServiceKind = 'multi-engine' | 'sandbox' | 'repository' | 'reputation' | 'known-good';

/** One hash handed to an adapter: adapters never see paths or bytes. */
export interface HashRef {
  type: HashType;
  /** Lower-case hex. */
  value: string;
}

export interface Target {
  path: string | null;
  size: number | null;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  /** A label from a hash list (`<hash> <label>`), kept as the target's name. */
  name?: string;
}

export interface Entry {
  /** Engine name, sandbox report or submission name. */
  name: string;
  category: Category;
  /** Signature, family, tags, … whatever the vendor gives that helps. */
  detail: string | null;
}

export interface Stats {
  malicious: number;
  suspicious: number;
  clean: number;
  undetected: number;
  /** Engines that gave a verdict; engines that did not scan are not counted. */
  total: number;
}

export interface ServiceErrorInfo {
  code: string;
  message: string;
}

export interface ServiceResult {
  service: string;
  status: Status;
  verdict: Category | null;
  stats: Stats | null;
  entries: Entry[];
  link: string | null;
  error: ServiceErrorInfo | null;
  /** Human one-liner for the report, e.g. `62/71 engines: malicious`. */
  summary: string | null;
  /** Why a service is gray (disabled / unsupported), e.g. which env var to set. */
  hint: string | null;
  durationMs: number | null;
  /** Whether this answer came from the local cache (set by batch runs and the cache). */
  cached?: boolean;
  /** When the vendor gave this answer (ISO 8601); null for rows that asked nobody. */
  fetchedAt?: string | null;
}

export interface TargetResult {
  target: Target;
  verdict: OverallVerdict;
  services: ServiceResult[];
  /** The target could not be checked at all (an unreadable file); it then has no service rows. */
  error?: { code: string; message: string };
}

export interface Report {
  schemaVersion: 1;
  results: TargetResult[];
}
