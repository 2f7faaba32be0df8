// CIRCL hashlookup API (OpenAPI): https://hashlookup.circl.lu/swagger.json ; format: https://datatracker.ietf.org/doc/draft-dulaunoy-hashlookup-format/
import { z } from 'zod';
import { looseOrUndefined } from '../schema-kit.js';

const text = looseOrUndefined(z.string());

/** A digest field of a record, as CIRCL writes them (upper-case hex). */
const digest = z
  .string()
  .regex(/^[0-9a-fA-F]+$/)
  .optional();

/**
 * A hit: the metadata of a known file. Only the fields ti-check shows are declared — and the
 * digests, which say *which* file this is: a record without the digest that was asked for (`{}`, a
 * rate-limit message, `{"data":null}`) is not a hit, and must never read as "known good".
 */
export const hashlookupRecord = z.object({
  MD5: digest,
  'SHA-1': digest,
  'SHA-256': digest,
  FileName: text,
  source: text,
  db: text,
  ProductCode: looseOrUndefined(z.object({ ProductName: text })),
  'hashlookup:trust': looseOrUndefined(z.number()),
  // Decides the verdict (a catalogued file can still be flagged): present means a string, or drift.
  KnownMalicious: z.string().nullish(),
});

export type HashlookupRecord = z.output<typeof hashlookupRecord>;

/** The 404 answer: `{"message": "Non existing SHA-256", "query": "…"}`. */
export const hashlookupMiss = z.object({ message: z.string() });
