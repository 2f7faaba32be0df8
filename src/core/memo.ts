/**
 * Recent answers kept in memory, so that a hash listed twice is looked up once even with the cache
 * off. Bounded by (estimated) bytes, not by count: a VirusTotal report with every engine weighs a
 * hundred times a "not found", and a batch of 100,000 large answers must not grow the process.
 * The oldest answers go first.
 */
import type { ServiceResult } from '../model/report.js';
import { mapIn } from './map-in.js';

/** The memo's budget: some 3,000 small answers, or a few dozen of the largest. */
export const DEFAULT_MEMO_BYTES = 2 * 1024 * 1024;

/** What every object, array and property costs V8 about, beyond its strings (a rough, safe guess). */
const OBJECT_BYTES = 64;
const FIELD_BYTES = 8;

interface Kept {
  scope: object;
  key: string;
  result: ServiceResult;
  bytes: number;
}

/**
 * Keys are a scope (a service at its base URL) and a string within it (the hash): no string joining
 * the two to make and hash for every lookup of a batch.
 */
export class AnswerMemo {
  readonly #entries = new Map<object, Map<string, Kept>>();
  /** Oldest first, from `#head` on. (Deleting a Map's first keys over and over leaves holes each iteration walks.) */
  #order: Kept[] = [];
  #head = 0;
  #bytes = 0;

  constructor(readonly maxBytes: number = DEFAULT_MEMO_BYTES) {}

  get(scope: object, key: string): ServiceResult | undefined {
    return this.#entries.get(scope)?.get(key)?.result;
  }

  /** Keeps `result` under `key`, then lets the oldest answers go until the memo fits its budget. */
  set(scope: object, key: string, result: ServiceResult): void {
    const bytes = estimateBytes(result) + stringBytes(key);
    // An answer larger than the whole budget would only push every other one out.
    if (bytes > this.maxBytes) return;
    const inScope = mapIn(this.#entries, scope);
    const old = inScope.get(key);
    // The old one's place in the order is left behind; eviction skips it.
    if (old) this.#bytes -= old.bytes;
    const kept: Kept = { scope, key, result, bytes };
    inScope.set(key, kept);
    this.#order.push(kept);
    this.#bytes += bytes;
    while (this.#bytes > this.maxBytes && this.#head < this.#order.length) {
      const oldest = this.#order[this.#head++] as Kept;
      if (!this.#holds(oldest)) continue;
      this.#entries.get(oldest.scope)?.delete(oldest.key);
      this.#bytes -= oldest.bytes;
    }
    const listed = this.#order.length - this.#head;
    if (this.#head > 1024 && this.#head > listed) {
      this.#order = this.#order.slice(this.#head);
      this.#head = 0;
    } else if (listed > 2 * this.size + 1024) {
      // The same keys kept again and again: their old places go.
      this.#order = this.#order.slice(this.#head).filter((kept) => this.#holds(kept));
      this.#head = 0;
    }
  }

  /** Whether `kept` is still the entry of its key (not replaced since, nor let go). */
  #holds(kept: Kept): boolean {
    return this.#entries.get(kept.scope)?.get(kept.key) === kept;
  }

  /** Answers kept: summed over the scopes (a batch has one per service). */
  get size(): number {
    let count = 0;
    for (const inScope of this.#entries.values()) count += inScope.size;
    return count;
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.#bytes;
  }
}

function stringBytes(text: string | null | undefined): number {
  // V8 keeps a Latin-1 string in one byte a character, anything else in two; a header each.
  return text == null ? 0 : 16 + text.length * 2;
}

/** An estimate of the memory a result holds: its strings, and a flat cost per object and field. */
export function estimateBytes(result: ServiceResult): number {
  let bytes = OBJECT_BYTES + 16 * FIELD_BYTES;
  bytes +=
    stringBytes(result.link) +
    stringBytes(result.summary) +
    stringBytes(result.hint) +
    stringBytes(result.fetchedAt) +
    stringBytes(result.service);
  if (result.error)
    bytes += OBJECT_BYTES + stringBytes(result.error.code) + stringBytes(result.error.message);
  if (result.reason) bytes += OBJECT_BYTES + stringBytes(result.reason.message);
  if (result.stats) bytes += OBJECT_BYTES + 8 * FIELD_BYTES;
  if (result.hashes) {
    bytes +=
      OBJECT_BYTES +
      stringBytes(result.hashes.md5) +
      stringBytes(result.hashes.sha1) +
      stringBytes(result.hashes.sha256);
  }
  bytes += OBJECT_BYTES + result.entries.length * FIELD_BYTES;
  for (const entry of result.entries) {
    bytes += OBJECT_BYTES + 3 * FIELD_BYTES + stringBytes(entry.name) + stringBytes(entry.detail);
  }
  return bytes;
}
