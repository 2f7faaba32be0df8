/**
 * The verdict policy's shape: the one definition the config file (`policy` in src/config/schema.ts),
 * the CLI flags and the verdict rules all use.
 */
import { z } from 'zod';
import { DEFAULT_MIN_MALICIOUS_ENGINES } from './policy-defaults.js';
import { parse } from './safe-parse.js';

const ids = z.array(z.string().min(1));

/** The verdict policy and the CI gate; every key also has a CLI flag, which wins. */
export const policySchema = z
  .object({
    /** A multi-engine service says malicious when at least this many engines do. */
    minMaliciousEngines: z.number().int().min(1).default(DEFAULT_MIN_MALICIOUS_ENGINES),
    /** …and (when set) at least this share of the engines that gave a verdict, 0 < r ≤ 1. */
    minDetectionRatio: z.number().gt(0).max(1).optional(),
    /** Engines whose single malicious detection makes a multi-engine service say malicious. */
    trustedEngines: ids.optional(),
    /** Services whose verdict does not count towards the file's verdict (still shown). */
    ignoreServices: ids.optional(),
    /** `--fail-on`: the verdict that makes the exit code 1 (default malicious). */
    failOn: z.enum(['malicious', 'suspicious', 'none']).optional(),
    /** `--fail-on-incomplete`: a file no service could answer exits 1 instead of 3. */
    failOnIncomplete: z.boolean().optional(),
    /** `--fail-on-drift`: with a baseline, fail only on a target worse than its baseline (not on --fail-on). */
    failOnDrift: z.boolean().optional(),
    /** `--allow`: allow-list file (hash + comment per line), relative to the config file. */
    allowList: z.string().min(1).optional(),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;

export const DEFAULT_POLICY: Policy = parse(policySchema, {});
