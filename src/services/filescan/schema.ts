// https://www.filescan.io/api/docs (reputation: GET /api/reputation/hash)
import { z } from 'zod';

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
  filescan_reports: z
    .array(
      z.object({
        report_id: z.string(),
        verdict,
        report_date: z.union([z.string(), z.number()]).nullish().catch(null),
      }),
    )
    .nullish()
    .transform((reports) => reports ?? []),
  mdcloud: z
    .object({
      detected_av_engines: z.number().int().nonnegative(),
      total_av_engines: z.number().int().nonnegative(),
    })
    .nullish()
    .catch(null),
});

export type Reputation = z.infer<typeof reputationSchema>;
export type FilescanVerdict = (typeof VERDICTS)[number];
