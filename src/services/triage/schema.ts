// https://tria.ge/docs/cloud-api/samples/ (GET /search, GET /samples/{id}/summary)
import { z } from 'zod';

const sample = z.object({
  id: z.string().min(1),
  status: z.string(),
});

export const searchSchema = z.object({ data: z.array(sample) });
export type SearchResult = z.infer<typeof searchSchema>;

/** Triage's 1–10 score; strict, because it decides the verdict. */
const score = z.number().int().min(0).max(10).nullish();

const task = z.object({
  kind: z.string().nullish().catch(null),
  status: z.string().nullish().catch(null),
  score,
  tags: z.array(z.string()).nullish().catch(null),
  platform: z.string().nullish().catch(null),
});

export const summarySchema = z.object({
  sample: z.string(),
  score,
  tasks: z.record(z.string(), task).nullish().catch(null),
});

export type Summary = z.infer<typeof summarySchema>;
