// https://api.unpac.me/ (UnpacMe API v1; search: POST /api/v1/private/search/term/{term_type})
import { z } from 'zod';
import { loose } from '../schema-kit.js';

/** One Malware ID label on a sample: a family rule, a classifier label, a Malpedia tag… */
const malwareId = z.object({
  name: z.string(),
  type: loose(z.string()),
  malware_family: loose(z.string()),
  // Strict: "MALICIOUS" here decides the verdict.
  classification_type: z.string().nullish(),
  threat_type: loose(z.string()),
});

/** One sample in UnpacMe's malware corpus that the search term matched. */
const result = z.object({
  sha256: z.string(),
  analysis: z.array(z.object({ id: z.string() })).catch([]),
  // Strict: the labels decide the verdict; a body without them is drift, not "nothing found".
  malwareid: z.array(malwareId),
});

export const searchSchema = z.object({
  results: z.array(result),
});

export type SearchAnswer = z.infer<typeof searchSchema>;
export type SearchResult = SearchAnswer['results'][number];
