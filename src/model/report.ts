/**
 * The vendor-neutral model of a report, as zod schemas with their inferred types. Every adapter maps
 * into it; every renderer reads from it. Field names here are the JSON contract (schemaVersion 1);
 * `schemas/report.schema.json` is generated from `reportSchema` (`npm run schema`).
 */
import { z } from 'zod';
import {
  CATEGORIES,
  HASH_TYPES,
  SCHEMA_VERSION,
  SERVICE_RULES,
  STATUSES,
  TARGET_RULES,
} from './report-values.js';

export { CATEGORIES, HASH_TYPES, SCHEMA_VERSION, SERVICE_RULES, STATUSES, TARGET_RULES };

export const categorySchema = z
  .enum(CATEGORIES)
  .describe('What one engine, sandbox report or listing says about the file.');
/** What one engine, sandbox report or listing says about the file. */
export type Category = z.infer<typeof categorySchema>;

export const overallVerdictSchema = z
  .enum([...CATEGORIES, 'unknown'])
  .describe("A file's overall verdict: `unknown` when no service found the hash.");
/** A file's overall verdict: `unknown` when no service found the hash. */
export type OverallVerdict = z.infer<typeof overallVerdictSchema>;

export const statusSchema = z.enum(STATUSES);
export type Status = z.infer<typeof statusSchema>;

export type HashType = (typeof HASH_TYPES)[number];

export type ServiceKind = 'multi-engine' | 'sandbox' | 'repository' | 'reputation' | 'known-good';

/** One hash handed to an adapter: adapters never see paths or bytes. */
export interface HashRef {
  type: HashType;
  /** Lower-case hex. */
  value: string;
}

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`));

export const targetSchema = z.object({
  path: z.string().nullable(),
  size: z.number().int().min(0).nullable(),
  md5: hex(32).nullable(),
  sha1: hex(40).nullable(),
  sha256: hex(64).nullable(),
  /** A label from a hash list (`<hash> <label>`), kept as the target's name. */
  name: z.string().optional(),
  /**
   * Hashes neither computed nor given but reported by a service (a lookup by MD5 completed with
   * VirusTotal's SHA-256): hash type → the id of the service that reported it.
   */
  hashesFrom: z
    .object({ md5: z.string().optional(), sha1: z.string().optional(), sha256: z.string().optional() })
    .optional(),
});
export type Target = z.infer<typeof targetSchema>;

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
export const targetReasonSchema = z.object({
  rule: z.enum(TARGET_RULES),
  message: z.string(),
});
export type ServiceReason = z.infer<typeof serviceReasonSchema>;
export type TargetReason = z.infer<typeof targetReasonSchema>;
export type ServiceRule = ServiceReason['rule'];
export type TargetRule = TargetReason['rule'];

const serviceResultShape = {
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

/** An `--allow` list match: the file's verdict was downgraded to clean. */
export const allowListMatchSchema = z.object({
  /** The comment from the allow-list line (why it is a known false positive). */
  comment: z.string(),
  /** The verdict the services gave before the allow-list downgraded it. */
  verdict: overallVerdictSchema,
});
export type AllowListMatch = z.infer<typeof allowListMatchSchema>;

/** What one service or engine says, as drift compares it: a category, or `not_found` for a service that did not know the file. */
export const driftStateSchema = z.object({
  category: z.enum([...CATEGORIES, 'not_found']),
  /** The signature or summary, when there is one. */
  detail: z.string().nullable(),
});
export type DriftState = z.infer<typeof driftStateSchema>;

export const driftChangeSchema = z.object({
  service: z.string(),
  /** The engine (or sandbox report, listing) row; null for the service's own verdict. */
  engine: z.string().nullable(),
  /** `new`: not there in the baseline; `gone`: there, not now; `changed`: there both times, different. */
  change: z.enum(['new', 'gone', 'changed']),
  before: driftStateSchema.nullable(),
  after: driftStateSchema.nullable(),
  /** It flags what it did not, or more severely than it did. */
  worse: z.boolean(),
});
export type DriftChange = z.infer<typeof driftChangeSchema>;

export const driftSchema = z
  .object({
    /** Which hash matched the baseline's target; null when the baseline does not have this file. */
    matchedBy: z.enum(HASH_TYPES).nullable(),
    /** The file's verdict in the baseline (null when not matched). */
    verdictBefore: overallVerdictSchema.nullable(),
    /** The verdict got more severe, or a service or engine now flags what it did not. */
    worse: z.boolean(),
    /** Per service and per engine, worst first. */
    changes: z.array(driftChangeSchema),
    /** Services not compared, and why (failed now or then, not asked in one of the runs): no answer is not drift. */
    skipped: z.array(z.object({ service: z.string(), why: z.string() })),
  })
  .meta({
    id: 'Drift',
    description: 'With `--baseline`: how this target differs from the same file in an earlier report.',
  });
export type Drift = z.infer<typeof driftSchema>;

export const targetResultSchema = z.object({
  target: targetSchema,
  verdict: overallVerdictSchema,
  services: z.array(serviceResultSchema),
  reason: targetReasonSchema.optional(),
  allowList: allowListMatchSchema.nullable().optional(),
  /** The target could not be checked at all (an unreadable file); it then has no service rows. */
  error: serviceErrorInfoSchema.optional(),
  /** With `--baseline`: what changed since the earlier report. */
  drift: driftSchema.optional(),
});
export type TargetResult = z.infer<typeof targetResultSchema>;

/** The published report: every row judged, so `reason` and `allowList` are always present. */
export const reportServiceResultSchema = z
  .object({
    ...serviceResultShape,
    reason: serviceReasonSchema.nullable(),
  })
  .meta({ id: 'ServiceResult' });

export const reportTargetResultSchema = z
  .object({
    target: targetSchema,
    verdict: overallVerdictSchema,
    services: z.array(reportServiceResultSchema),
    reason: targetReasonSchema,
    allowList: allowListMatchSchema.nullable(),
    error: serviceErrorInfoSchema.optional(),
    drift: driftSchema.optional(),
  })
  .meta({
    id: 'TargetResult',
    description: 'One file or hash and what every service said; also one line of `--format ndjson`.',
  });
export type ReportTargetResult = z.infer<typeof reportTargetResultSchema>;

export const reportSchema = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    results: z.array(reportTargetResultSchema),
  })
  .meta({ title: 'ti-check report', description: 'The output of `ti-check --format json`.' });
export type Report = z.infer<typeof reportSchema>;
