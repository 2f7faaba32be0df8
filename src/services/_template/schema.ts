// __DISPLAY_NAME__ API reference: __DOCS_URL__
import { z } from 'zod';
import { loose } from '../schema-kit.js';

/**
 * Declare only the fields the adapter reads. Strict on what decides the verdict (a body that no
 * longer fits must become an error row, never "not found"); lenient on decoration with `.catch()`.
 */
export const answerSchema = z.object({
  found: z.boolean(),
  verdict: z.enum(['malicious', 'suspicious', 'clean']).nullish(),
  name: loose(z.string()),
});

export type Answer = z.infer<typeof answerSchema>;
