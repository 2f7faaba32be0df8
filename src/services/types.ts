/**
 * The adapter contract. An adapter is data (capabilities) plus one `lookup` function that gets
 * a hash and a context, and returns what the vendor knows — or null when it does not know the hash.
 */
import type { DnsClient } from '../dns/types.js';
import type { HttpClient } from '../http/client.js';
import type { Category, Entry, HashRef, HashType, ServiceKind } from '../model/report.js';

export interface RateLimit {
  /** Requests allowed per window. */
  requests: number;
  /** Window length in seconds. */
  perSeconds: number;
  /** Requests allowed per day, when the vendor also caps that. */
  daily?: number;
  /** Where the vendor documents this limit (or, when it documents none, its API docs). */
  source: string;
  /**
   * Whose figure this is: `documented` — the vendor's published limit; `conservative` — the vendor
   * publishes no number, so this is a cautious default of ours; `documented-daily` — the daily cap is
   * the vendor's, the pace within it ours.
   */
  basis: RateLimitBasis;
}

export type RateLimitBasis = 'documented' | 'conservative' | 'documented-daily';

export interface ServiceAuth {
  /** `required`: no key → the service shows as disabled. `optional`: a key raises limits. */
  key: 'none' | 'required' | 'optional';
  /** Where a user gets a key. */
  signup?: string;
}

/** What an adapter found. The runner turns it into a `ServiceResult`. */
export interface Finding {
  /** Engines, sandbox reports, listings, rule hits… one row each. */
  entries: Entry[];
  /**
   * The vendor's own verdict (sandboxes, repositories, reputation). Leave it out for
   * multi-engine services: the verdict policy derives theirs from the engine rows.
   */
  verdict?: Category;
  /**
   * Context for the summary line, after what the runner derives (the verdict, or the engine
   * counts of a multi-engine service), e.g. `label: emotet` → `53/62 engines: malicious · label: emotet`.
   */
  summary?: string;
  /** Overrides the permalink (default: `service.link(hash)`). */
  link?: string;
  /**
   * The file's digests as the vendor reports them. A lookup by MD5 or SHA-1 completes the target's
   * other hashes from them (when they agree with what is known), so reports carry the SHA-256.
   */
  hashes?: Partial<Record<HashType, string | null | undefined>>;
}

export interface LookupContext {
  http: HttpClient;
  /** For DNS-based services; bound to the service's configured server (`dns://host:port`). */
  dns: DnsClient;
  /** The configured key, if any. Never log it; the HTTP layer redacts it from errors. */
  apiKey: string | undefined;
  /** The origin this service is asked at (default or overridden): self-hosted sandboxes link to it. */
  baseUrl: string;
  signal: AbortSignal;
  /**
   * Registers a secret the adapter derived (an exchanged token, a session id): from now on it is
   * masked wherever the key is — messages, `--debug` lines, results, the cache.
   */
  secret(value: string): void;
  /** State kept for this service across the lookups of one run (a token), never a module global. */
  state: Map<string, unknown>;
}

export interface ServiceDefinition {
  /** Fixed id: also the config key and the env-var stem (`TI_CHECK_<ID>_KEY`). */
  id: string;
  displayName: string;
  /**
   * Short names a user may type instead of the id, lower case (`vt` for virustotal): in
   * `--services`, `--ignore-services` and the config's `services` / `policy.ignoreServices`. Never
   * an env-var stem: keys stay `TI_CHECK_<ID>_KEY`.
   */
  aliases?: readonly string[];
  kind: ServiceKind;
  /** Hash types the vendor can search, most preferred first. */
  hashTypes: readonly HashType[];
  auth: ServiceAuth;
  /**
   * The API origin, scheme + host only (request paths carry the full API path). A user's
   * `TI_CHECK_<ID>_URL` / `baseUrl` replaces it and may add a path prefix.
   */
  baseUrl: string;
  rateLimit: RateLimit;
  /**
   * The most requests one lookup makes (default 1), e.g. a search and then a report. Each gets its
   * own rate-limit slot at run time; `--plan` uses this for its longest estimate.
   */
  requestsPerLookup?: number;
  /**
   * The largest answer read, in MiB (default 16): raise it for a vendor whose real answers come near
   * that. A larger answer is a `bad_response` row, never unbounded memory.
   */
  maxAnswerMiB?: number;
  /** The vendor's API reference. */
  docs: string;
  /** Set by ti-check on a service loaded from a plugin: the plugin's file. Never set by an adapter. */
  plugin?: string;
  /** The vendor's human page for this hash. */
  link(hash: HashRef): string;
  lookup(hash: HashRef, ctx: LookupContext): Promise<Finding | null>;
  /**
   * Optional, for vendors with a key-info or quota endpoint: how much of the key's quota is used, in
   * one request. `ti-check doctor` asks it instead of looking up a known hash.
   */
  quota?(ctx: LookupContext): Promise<QuotaUse[]>;
}

/** One of a key's quotas as the vendor reports it: `142` of `500` requests used this `day`. */
export interface QuotaUse {
  period: 'minute' | 'hour' | 'day' | 'month';
  used: number;
  allowed: number;
}

/** Identity helper: gives adapters a checked object literal with no class ceremony. */
export function defineService(service: ServiceDefinition): ServiceDefinition {
  return service;
}
