/**
 * The part of the report model a service row needs, on its own: reading a cached answer back
 * (src/core/cache/store.ts) builds these schemas and not the whole report's, ~3 ms of a lookup
 * answered from the cache. src/model/report.ts re-exports all of it.
 */
import { z } from 'zod';
import { CATEGORIES, SERVICE_RULES, STATUSES } from './report-values.js';

export const categorySchema = z
  .enum(CATEGORIES)
  .describe('What one engine, sandbox report or listing says about the file.');
/** What one engine, sandbox report or listing says about the file. */
export type Category = z.infer<typeof categorySchema>;

export const statusSchema = z.enum(STATUSES);
export type Status = z.infer<typeof statusSchema>;

export const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`));

export const entrySchema = z.object({
  /** Engine name, sandbox report or submission name. */
  name: z.string(),
  category: categorySchema,
  /** Signature, family, tags, … whatever the vendor gives that helps. */
  detail: z.string().nullable(),
});
export type Entry = z.infer<typeof entrySchema>;

const count = z.number().int().min(0);
export const statsSchema = z.object({
  malicious: count,
  suspicious: count,
  clean: count,
  undetected: count,
  /** Engines that gave a verdict; engines that did not scan are not counted. */
  total: count,
});
export type Stats = z.infer<typeof statsSchema>;

export const serviceErrorInfoSchema = z.object({ code: z.string(), message: z.string() });
export type ServiceErrorInfo = z.infer<typeof serviceErrorInfoSchema>;

export const serviceReasonSchema = z.object({
  rule: z.enum(SERVICE_RULES),
  message: z.string(),
});
export type ServiceReason = z.infer<typeof serviceReasonSchema>;
export type ServiceRule = ServiceReason['rule'];

export const serviceResultShape = {
  service: z.string(),
  status: statusSchema,
  verdict: categorySchema.nullable(),
  stats: statsSchema.nullable(),
  entries: z.array(entrySchema),
  link: z.string().nullable(),
  error: serviceErrorInfoSchema.nullable(),
  /** Human one-liner for the report, e.g. `62/71 engines: malicious`. */
  summary: z.string().nullable(),
  /** Why a service is gray (disabled / unsupported), e.g. which env var to set. */
  hint: z.string().nullable(),
  durationMs: z.number().min(0).nullable(),
  /** Whether this answer came from the local cache. */
  cached: z.boolean().optional(),
  /** When the vendor gave this answer (ISO 8601); null for rows that asked nobody. */
  fetchedAt: z.string().nullable().optional(),
  /** The file's digests as this service reported them (they complete the target's missing hashes). */
  hashes: z
    .object({ md5: hex(32).optional(), sha1: hex(40).optional(), sha256: hex(64).optional() })
    .optional(),
};

/**
 * A service row as the lookup produces it. `reason` is set by the verdict policy for rows that
 * found the file; the report always carries the key (null for rows without a verdict).
 */
export const serviceResultSchema = z.object({
  ...serviceResultShape,
  reason: serviceReasonSchema.nullable().optional(),
});
export type ServiceResult = z.infer<typeof serviceResultSchema>;
