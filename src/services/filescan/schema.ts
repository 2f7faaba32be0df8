// https://www.filescan.io/api/docs (reputation: GET /api/reputation/hash)
import { z } from 'zod';
import { listOrEmpty, loose } from '../schema-kit.js';

/**
 * Every verdict value Filescan documents (https://docs.opswat.com/filescan/backend/verdict, old
 * risk-score names as the API spells them). Case is normalised; an unknown value is a schema error,
 * never a silent "clean".
 */
export const VERDICTS = [
  'malicious',
  'likely_malicious',
  'suspicious',
  'informational',
  'no_threat',
  'benign',
  'unknown',
] as const;

const verdict = z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(VERDICTS));

export const reputationSchema = z.object({
  overall_verdict: verdict,
  filescan_reports: listOrEmpty(
    z.object({
      report_id: z.string(),
      verdict,
      report_date: loose(z.union([z.string(), z.number()])),
    }),
  ),
  mdcloud: loose(
    z.object({
      detected_av_engines: z.number().int().nonnegative(),
      total_av_engines: z.number().int().nonnegative(),
    }),
  ),
});

export type Reputation = z.infer<typeof reputationSchema>;
export type FilescanVerdict = (typeof VERDICTS)[number];
