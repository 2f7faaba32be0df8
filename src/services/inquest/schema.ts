// https://labs.inquest.net/docs/ (DFI API: /api/dfi/details, /api/dfi/search/hash/{type})
import { z } from 'zod';
import { loose } from '../schema-kit.js';

/** Values seen in InQuest's own client docs and test data. Strict: a new one is an error row. */
export const classificationSchema = z.enum(['MALICIOUS', 'BENIGN', 'UNKNOWN']);
export type Classification = z.infer<typeof classificationSchema>;

const alert = z.object({
  title: z.string(),
  category: loose(z.string()),
  description: loose(z.string()),
});

/** One Deep File Inspection record, as both `details` and `search` return it. */
export const dfiRecordSchema = z.object({
  classification: classificationSchema,
  sha256: z.string(),
  file_type: loose(z.string()),
  inquest_alerts: loose(z.array(alert)),
});

export type DfiRecord = z.infer<typeof dfiRecordSchema>;

/** Every answer is wrapped: `{ success, data }`, or `{ success: false, error }`. */
const envelope = <T extends z.ZodType>(data: T) =>
  z.discriminatedUnion('success', [
    z.object({ success: z.literal(true), data }),
    z.object({ success: z.literal(false), error: loose(z.string()) }),
  ]);

export const detailsSchema = envelope(dfiRecordSchema);
export const searchSchema = envelope(z.array(dfiRecordSchema));
