// https://labs.inquest.net/docs/ (DFI API: /api/dfi/details, /api/dfi/search/hash/{type})
import { z } from 'zod';

/** Values seen in InQuest's own client docs and test data. Strict: a new one is an error row. */
export const classificationSchema = z.enum(['MALICIOUS', 'BENIGN', 'UNKNOWN']);
export type Classification = z.infer<typeof classificationSchema>;

const alert = z.object({
  title: z.string(),
  category: z.string().nullish().catch(null),
  description: z.string().nullish().catch(null),
});

/** One Deep File Inspection record, as both `details` and `search` return it. */
export const dfiRecordSchema = z.object({
  classification: classificationSchema,
  sha256: z.string(),
  file_type: z.string().nullish().catch(null),
  inquest_alerts: z.array(alert).nullish().catch(null),
});

export type DfiRecord = z.infer<typeof dfiRecordSchema>;

/** Every answer is wrapped: `{ success, data }`, or `{ success: false, error }`. */
const envelope = <T extends z.ZodType>(data: T) =>
  z.discriminatedUnion('success', [
    z.object({ success: z.literal(true), data }),
    z.object({ success: z.literal(false), error: z.string().nullish().catch(null) }),
  ]);

export const detailsSchema = envelope(dfiRecordSchema);
export const searchSchema = envelope(z.array(dfiRecordSchema));
