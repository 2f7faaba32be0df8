// https://malshare.com/doc.php (api.php?action=details)
import { z } from 'zod';
import { loose } from '../schema-kit.js';

/**
 * `action=details`: the hashes prove a hit (strict), the rest is decoration. `YARA` is read when a
 * deployment sends it; MalShare's doc page does not promise it.
 */
export const detailsSchema = z.object({
  MD5: z.string().min(1),
  SHA256: z.string().min(1),
  F_TYPE: loose(z.string()),
  SOURCES: loose(z.array(z.string())),
  YARA: loose(z.array(z.string())),
});

export type Details = z.infer<typeof detailsSchema>;
