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
import {
  hex,
  serviceErrorInfoSchema,
  serviceReasonSchema,
  serviceResultSchema,
  serviceResultShape,
} from './service-result.js';

export * from './service-result.js';
export { CATEGORIES, HASH_TYPES, SCHEMA_VERSION, SERVICE_RULES, STATUSES, TARGET_RULES };

export const overallVerdictSchema = z
  .enum([...CATEGORIES, 'unknown'])
  .describe("A file's overall verdict: `unknown` when no service found the hash.");
/** A file's overall verdict: `unknown` when no service found the hash. */
export type OverallVerdict = z.infer<typeof overallVerdictSchema>;

export type HashType = (typeof HASH_TYPES)[number];

export type ServiceKind = 'multi-engine' | 'sandbox' | 'repository' | 'reputation' | 'known-good';

/** One hash handed to an adapter: adapters never see paths or bytes. */
export interface HashRef {
  type: HashType;
  /** Lower-case hex. */
  value: string;
}

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

export const targetReasonSchema = z.object({
  rule: z.enum(TARGET_RULES),
  message: z.string(),
});
export type TargetReason = z.infer<typeof targetReasonSchema>;
export type TargetRule = TargetReason['rule'];

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
