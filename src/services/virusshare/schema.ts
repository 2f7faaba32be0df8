// https://virusshare.com/apiv2_reference
import { z } from 'zod';
import { loose } from '../schema-kit.js';

/** One VirusTotal engine row that VirusShare embeds in its `file` report. */
const scan = z.object({
  detected: z.boolean(),
  result: loose(z.string()),
});

/**
 * `response`: 0 = not in the corpus, 1 = malware, 2 = benign (a known-good file). Strict on
 * `response`: an unexpected code must not read as "not found".
 */
export const fileReportSchema = z.object({
  response: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  sha256: loose(z.string()),
  virustotal: loose(z.object({ scans: loose(z.record(z.string(), scan)) })),
});

export type FileReport = z.infer<typeof fileReportSchema>;
