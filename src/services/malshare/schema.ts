// https://malshare.com/doc.php (api.php?action=details)
import { z } from 'zod';

/**
 * `action=details`: the hashes prove a hit (strict), the rest is decoration. `YARA` is read when a
 * deployment sends it; MalShare's doc page does not promise it.
 */
export const detailsSchema = z.object({
  MD5: z.string().min(1),
  SHA256: z.string().min(1),
  F_TYPE: z.string().nullish().catch(null),
  SOURCES: z.array(z.string()).nullish().catch(null),
  YARA: z.array(z.string()).nullish().catch(null),
});

export type Details = z.infer<typeof detailsSchema>;
