// https://virusshare.com/apiv2_reference
import { z } from 'zod';

/** One VirusTotal engine row that VirusShare embeds in its `file` report. */
const scan = z.object({
  detected: z.boolean(),
  result: z.string().nullish().catch(null),
});

/**
 * `response`: 0 = not in the corpus, 1 = malware, 2 = benign (a known-good file). Strict on
 * `response`: an unexpected code must not read as "not found".
 */
export const fileReportSchema = z.object({
  response: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  sha256: z.string().nullish().catch(null),
  virustotal: z
    .object({ scans: z.record(z.string(), scan).nullish().catch(null) })
    .nullish()
    .catch(null),
});

export type FileReport = z.infer<typeof fileReportSchema>;
