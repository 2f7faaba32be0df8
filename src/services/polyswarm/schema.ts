// PolySwarm REST API v3, hash search: https://docs.polyswarm.io/consumers/polyswarm-rest-api-v3
import { z } from 'zod';
import { loose } from '../schema-kit.js';

/**
 * One engine's assertion. `mask: false` or `verdict: null` means the engine did not assert on
 * this artifact (polyswarm-api counts only masked assertions as valid; polyswarm-cli prints
 * "chose not to respond"): such engines are left out. Both fields decide a row, so both are strict.
 */
const assertion = z.object({
  author_name: loose(z.string()),
  engine: loose(z.object({ name: z.string().nullish() })),
  mask: z.boolean(),
  verdict: z.boolean().nullable(),
  // The SDK notes that `metadata` can arrive as a string instead of an object: decoration, lenient.
  metadata: loose(z.object({ malware_family: loose(z.string()) })),
});

/** One item of an instance's `metadata`: a tool's output, e.g. `polyunite`'s family label. */
export const toolMetadata = z.object({
  tool: z.string(),
  tool_metadata: loose(z.object({ malware_family: loose(z.string()) })),
});

/** An artifact instance: the latest scan of the file in the community searched. */
const instance = z.object({
  sha256: z.string(),
  assertions: z.array(assertion),
  polyscore: loose(z.number()),
  metadata: loose(z.array(z.unknown())),
});

/** The search returns the latest instance per artifact; a hash names one artifact. */
export const searchAnswer = z.object({ result: z.array(instance) });

export type SearchAnswer = z.infer<typeof searchAnswer>;
export type Instance = z.infer<typeof instance>;
