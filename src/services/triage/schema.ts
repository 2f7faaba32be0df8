// https://tria.ge/docs/cloud-api/samples/ (GET /search, GET /samples/{id}/summary)
import { z } from 'zod';
import { loose } from '../schema-kit.js';

const sample = z.object({
  id: z.string().min(1),
  status: z.string(),
});

export const searchSchema = z.object({ data: z.array(sample) });
export type SearchResult = z.infer<typeof searchSchema>;

/** Triage's 1–10 score; strict, because it decides the verdict. */
const score = z.number().int().min(0).max(10).nullish();

const task = z.object({
  kind: loose(z.string()),
  status: loose(z.string()),
  score,
  tags: loose(z.array(z.string())),
  platform: loose(z.string()),
});

export const summarySchema = z.object({
  sample: z.string(),
  score,
  tasks: loose(z.record(z.string(), task)),
});

export type Summary = z.infer<typeof summarySchema>;
