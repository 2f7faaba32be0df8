// YARAify API, "Query a file hash" (query lookup_hash): https://yaraify.abuse.ch/api/#query-filehash
import { z } from 'zod';
import { listOrEmpty, looseOrUndefined } from '../schema-kit.js';

const ruleHit = z.object({
  // A hit is the evidence: it must be named.
  rule_name: z.string(),
  author: looseOrUndefined(z.string()),
  description: looseOrUndefined(z.string()),
});

/** ClamAV results are signature names; accept an object carrying one too, never drop a hit silently. */
const clamavHit = z.union([
  z.string(),
  z.object({ signature: z.string() }).transform((hit) => hit.signature),
]);

const task = z.object({
  static_results: listOrEmpty(ruleHit),
  clamav_results: listOrEmpty(clamavHit),
});

/** `query_status: "ok"`: the file's metadata and every scan task run on it. */
export const yaraifyReport = z
  .object({
    data: z.object({
      metadata: looseOrUndefined(z.object({ sha256_hash: looseOrUndefined(z.string()) })),
      tasks: z.array(task),
    }),
  })
  .transform(({ data }) => ({ sha256: data.metadata?.sha256_hash ?? undefined, tasks: data.tasks }));

export type YaraifyReport = z.output<typeof yaraifyReport>;
