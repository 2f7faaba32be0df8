// https://opentip.kaspersky.com/Help/Doc_data/HashLookupAPI.htm
import { z } from 'zod';
import { loose } from '../schema-kit.js';

/**
 * OpenTIP documents Red, Yellow, Green and Grey. Orange is accepted too (as suspicious): it is
 * not in OpenTIP's list, but a colour between Red and Yellow must not become an error row.
 * Strict otherwise: an unknown zone must not read as anything.
 */
export const zoneSchema = z.enum(['Red', 'Orange', 'Yellow', 'Green', 'Grey']);
export type Zone = z.infer<typeof zoneSchema>;

const detection = z.object({
  DetectionName: z.string(),
  // A row without its own zone inherits the file's zone (see toFinding).
  Zone: loose(zoneSchema),
  DetectionMethod: loose(z.string()),
});

export const hashLookupSchema = z.object({
  Zone: zoneSchema,
  FileGeneralInfo: loose(z.object({ FileStatus: loose(z.string()) })),
  DetectionsInfo: z.array(detection).nullish(),
});

export type HashLookup = z.infer<typeof hashLookupSchema>;
