/**
 * What every answer cache offers, whatever stores it: the key rule (service, base URL, hash), the
 * TTLs (found / not found; errors are never stored), and reading a stored answer back through the
 * report model's own schema, so a row that is not a valid answer is a miss, never a verdict.
 */
import { isoTime } from '../../clock.js';
import { TiCheckError } from '../../errors.js';
import type { HashRef } from '../../model/report.js';
import { safeParse } from '../../model/safe-parse.js';
import { type ServiceResult, serviceResultSchema } from '../../model/service-result.js';
import { withFields } from '../../model/with-fields.js';

/** Another process kept the cache locked for longer than OPEN_PATIENCE_MS. */
export class CacheBusyError extends TiCheckError {
  override name = 'CacheBusyError';
}

export interface CacheTtl {
  /** Seconds. */
  found: number;
  /** Seconds. */
  notFound: number;
}

export interface CacheKey {
  service: string;
  baseUrl: string;
  hash: HashRef;
}

export interface CacheStats {
  file: string;
  bytes: number;
  entries: number;
  expired: number;
  byService: Record<string, { found: number; notFound: number }>;
  /** Why the file cannot be read (SQLite's words), or null when it is sound. */
  damaged: string | null;
}

export interface CacheCleanup {
  removed: number;
  /** Set when the file was damaged: it is removed at close, and the next run starts a new one. */
  damaged: string | null;
}

/** A value now (the embedded SQLite cache) or later (a shared cache over the network). */
export type Eventually<T> = T | Promise<T>;

/** Another process's answer for the key, or the right to ask the vendor (then `release`). */
export type Claim = { answer: ServiceResult; release?: undefined } | { answer?: undefined; release(): void };

export interface AnswerCache {
  /** Where it is: a file, or a URL with its password masked. */
  readonly file: string;
  get(key: CacheKey): Eventually<ServiceResult | undefined>;
  /** Queued: committed with others by `flush`, soon after, or at `close`. */
  put(key: CacheKey, result: ServiceResult): void;
  /** Commits every queued write now. */
  flush(): void;
  stats(): Eventually<CacheStats>;
  clear(): Eventually<CacheCleanup>;
  prune(): Eventually<CacheCleanup>;
  close(): Eventually<void>;
  /**
   * A shared cache: the stored answer, or else a short lease on the key, so that processes wanting
   * the same key at the same moment ask the vendor once between them (the others wait for the
   * answer, within a bound). The lease holder puts the answer, then releases.
   */
  claim?(key: CacheKey, signal?: AbortSignal): Promise<Claim>;
  /**
   * Requests each service made today (UTC), by service id: a fleet's shared count, or else the
   * answers this cache stored today (what this machine asked, as far as it kept).
   */
  usedToday(services: readonly Pick<CacheKey, 'service' | 'baseUrl'>[]): Eventually<Map<string, number>>;
}

/** The embedded cache: every answer at hand, nothing to wait for. */
export interface LocalAnswerCache extends AnswerCache {
  get(key: CacheKey): ServiceResult | undefined;
  stats(): CacheStats;
  clear(): CacheCleanup;
  prune(): CacheCleanup;
  close(): void;
  usedToday(services: readonly Pick<CacheKey, 'service' | 'baseUrl'>[]): Map<string, number>;
}

/** How an answer is stored: its JSON (without `cached` / `fetchedAt`), when it was fetched, for how long. */
export interface StoredAnswer {
  status: 'found' | 'not_found';
  body: string;
  /** ms since the epoch. */
  fetchedAt: number;
  ttlSeconds: number;
}

/**
 * The stored form of `result`, or undefined when it is not to be stored: not an answer (errors never
 * are), or its TTL is 0. decodeAnswer reads it back.
 */
export function encodeAnswer(
  result: ServiceResult,
  ttl: CacheTtl,
  now: () => number,
): StoredAnswer | undefined {
  if (result.status !== 'found' && result.status !== 'not_found') return undefined;
  const ttlSeconds = result.status === 'found' ? ttl.found : ttl.notFound;
  if (ttlSeconds <= 0) return undefined;
  const fetchedAt = result.fetchedAt ? Date.parse(result.fetchedAt) : now();
  const { cached: _cached, fetchedAt: _fetchedAt, ...body } = result;
  return { status: result.status, body: JSON.stringify(body), fetchedAt, ttlSeconds };
}

/**
 * A stored answer of `service`, or undefined when the row is not one it can use: not JSON, not
 * a service result by the model's schema, another service's, or not an answer (found / not found).
 */
export function decodeAnswer(service: string, body: string, fetchedAt: number): ServiceResult | undefined {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return undefined; // a broken row: ignored, and rewritten by the next put
  }
  const parsed = safeParse(serviceResultSchema, data);
  if (!parsed.success) return undefined;
  const result = parsed.data;
  if (result.service !== service || (result.status !== 'found' && result.status !== 'not_found')) {
    return undefined;
  }
  return withFields(result, { cached: true, fetchedAt: isoTime(fetchedAt) });
}
