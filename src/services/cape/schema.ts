// https://capesandbox.com/apiv2/ (endpoint list; source: kevoreilly/CAPEv2 web/apiv2/views.py)
import { z } from 'zod';
import { loose } from '../schema-kit.js';

/**
 * CAPE's envelope: `error` is `false` (or `[]`) on success and `true` with `error_value` when the
 * endpoint is disabled, the task is missing, or access is refused.
 */
const failed = z.object({ error: z.literal(true), error_value: loose(z.string()) });

const task = z.object({
  id: z.number().int(),
  status: z.string(),
  target: loose(z.string()),
  completed_on: loose(z.string()),
});

/** `GET /apiv2/tasks/search/<md5|sha1|sha256>/<hash>/` */
export const searchSchema = z.union([
  failed,
  z.object({ error: z.union([z.literal(false), z.array(z.unknown())]), data: z.array(task) }),
]);

/** A family CAPE identified (`[{family, details: [{<detected_by>: <detected_on>}]}]`). */
const detections = loose(
  z.union([
    z.array(z.object({ family: z.string() })).transform((list) => list.map((d) => d.family)),
    // Older CAPE versions stored a single family name.
    z.string().transform((family) => (family ? [family] : [])),
  ]),
);

/** `GET /apiv2/tasks/view/<id>/` */
export const viewSchema = z.union([
  failed,
  z.object({
    error: z.union([z.literal(false), z.array(z.unknown())]),
    data: z.object({
      id: z.number().int(),
      target: loose(z.string()),
      // Strict: the score decides the verdict. Absent only when the server stores no report data.
      malscore: z.number().min(0).max(10).nullish(),
      detections,
    }),
  }),
]);

export type SearchAnswer = z.infer<typeof searchSchema>;
export type ViewAnswer = z.infer<typeof viewSchema>;
export type TaskView = Extract<ViewAnswer, { data: unknown }>['data'];
