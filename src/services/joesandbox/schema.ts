// https://jbxcloud.joesecurity.org/userguide?sphinxurl=usage/webapi.html (Joe Sandbox web API v2)
import { z } from 'zod';
import { loose } from '../schema-kit.js';

/** Errors arrive in the body as `{errors: [{code, message}]}`, sometimes with a 2xx status. */
export const errorEnvelope = z.object({
  errors: z.array(z.object({ code: z.number().nullish(), message: z.string() })).min(1),
});
export type JoeError = z.infer<typeof errorEnvelope>['errors'][number];

/** `POST /v2/analysis/search`: the webids of matching analyses. */
export const searchSchema = z.object({
  data: z.array(z.object({ webid: z.union([z.string(), z.number()]).transform(String) })),
});

export const DETECTIONS = ['malicious', 'suspicious', 'clean', 'unknown'] as const;

/** `POST /v2/analysis/info`: status and detection of one analysis. */
export const infoSchema = z.object({
  data: z.object({
    webid: z.union([z.string(), z.number()]).transform(String),
    status: z.string(),
    // Strict: this decides the verdict. Absent while an analysis is still running.
    detection: z.enum(DETECTIONS).nullish(),
    score: loose(z.number()),
    classification: loose(z.string()),
    threatname: loose(z.string()),
    filename: loose(z.string()),
  }),
});

export type AnalysisInfo = z.infer<typeof infoSchema>['data'];
export type Detection = (typeof DETECTIONS)[number];
