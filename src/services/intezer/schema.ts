// https://analyze.intezer.com/api-docs.html (API 2.0: /get-access-token, /files/{hash})
import { z } from 'zod';
import { loose } from '../schema-kit.js';

export const accessTokenSchema = z.object({
  result: z.string().min(1),
  // Unix seconds; older deployments leave it out.
  expire_at: loose(z.number()),
});

/**
 * File verdicts of Intezer's own SDK (`consts.FileAnalysisVerdict`), plus `known_malicious`,
 * which the API uses as a sub-verdict. Strict: a new verdict is an error row.
 */
export const verdictSchema = z.enum([
  'malicious',
  'known_malicious',
  'suspicious',
  'trusted',
  'neutral',
  'no_threats',
  'unknown',
  'not_supported',
]);
export type IntezerVerdict = z.infer<typeof verdictSchema>;

export const latestAnalysisSchema = z.object({
  result: z.object({
    verdict: verdictSchema,
    sub_verdict: loose(z.string()),
    family_name: loose(z.string()),
  }),
});

export type LatestAnalysis = z.infer<typeof latestAnalysisSchema>['result'];

/** The body of an error answer, e.g. `{"error": "Insufficient Permissions"}`. */
export const errorBodySchema = z.object({ error: loose(z.string()) }).catch({ error: null });
