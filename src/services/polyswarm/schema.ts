// PolySwarm REST API v3, hash search: https://docs.polyswarm.io/consumers/polyswarm-rest-api-v3
import { z } from 'zod';
import type { Entry } from '../../normalize/model.js';

/**
 * One engine's assertion. `mask: false` or `verdict: null` means the engine did not assert on
 * this artifact (polyswarm-api counts only masked assertions as valid; polyswarm-cli prints
 * "chose not to respond"): such engines are left out. Both fields decide a row, so both are strict.
 */
const assertion = z.object({
  author_name: z.string().nullish().catch(null),
  engine: z.object({ name: z.string().nullish() }).nullish().catch(null),
  mask: z.boolean(),
  verdict: z.boolean().nullable(),
  // The SDK notes that `metadata` can arrive as a string instead of an object: decoration, lenient.
  metadata: z
    .object({ malware_family: z.string().nullish().catch(null) })
    .nullish()
    .catch(null),
});

const toolMetadata = z.object({
  tool: z.string(),
  tool_metadata: z
    .object({ malware_family: z.string().nullish().catch(null) })
    .nullish()
    .catch(null),
});

/** An artifact instance: the latest scan of the file in the community searched. */
const instance = z.object({
  sha256: z.string(),
  assertions: z.array(assertion),
  polyscore: z.number().nullish().catch(null),
  metadata: z.array(z.unknown()).nullish().catch(null),
});

export const searchAnswer = z.object({ result: z.array(instance) }).transform(({ result }) => {
  // The search returns the latest instance per artifact; a hash names one artifact.
  const latest = result[0];
  if (!latest) return null;
  const entries: Entry[] = [];
  for (const a of latest.assertions) {
    if (!a.mask || a.verdict === null) continue;
    const name = a.engine?.name || a.author_name || 'unknown engine';
    entries.push(
      a.verdict
        ? { name, category: 'malicious', detail: a.metadata?.malware_family || null }
        : { name, category: 'clean', detail: null },
    );
  }
  return { sha256: latest.sha256, entries, polyscore: latest.polyscore, family: family(latest.metadata) };
});

/** PolySwarm's own family label: the `polyunite` tool's `malware_family`, looked up by tool name. */
function family(metadata: unknown[] | null | undefined): string | undefined {
  for (const item of metadata ?? []) {
    const parsed = toolMetadata.safeParse(item);
    if (parsed.success && parsed.data.tool === 'polyunite') {
      return parsed.data.tool_metadata?.malware_family || undefined;
    }
  }
  return undefined;
}

export type SearchAnswer = z.infer<typeof searchAnswer>;
