// PolySwarm REST API v3: https://docs.polyswarm.io/consumers/polyswarm-rest-api-v3
import type { Entry, HashRef } from '../../model/report.js';
import { safeParse } from '../../model/safe-parse.js';
import { joinParts, loadSchemas, sha256Link } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { Instance, SearchAnswer } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

const permalink = (sha256: string) => `https://polyswarm.network/scan/results/file/${sha256}`;

export const polyswarm = defineService({
  id: 'polyswarm',
  displayName: 'PolySwarm',
  aliases: ['ps'],
  kind: 'multi-engine',
  hashTypes: ['sha256', 'sha1', 'md5'],
  auth: { key: 'required', signup: 'https://polyswarm.network/account/api-keys' },
  baseUrl: 'https://api.polyswarm.network',
  // "Community (free) users have a limit of 60 calls per hour"
  // (https://docs.polyswarm.io/consumers/polyswarm-rest-api-v3). Per-feature monthly quotas
  // depend on the plan and are not published, so no daily cap is set.
  rateLimit: {
    requests: 60,
    perSeconds: 3600,
    source: 'https://docs.polyswarm.io/consumers/polyswarm-rest-api-v3',
    basis: 'documented',
  },
  docs: 'https://docs.polyswarm.io/consumers/polyswarm-rest-api-v3',
  link: (hash) => permalink(hash.value),
  async lookup(hash, ctx) {
    const loaded = schemas(); // loads while the request is on its way (see loadSchemas)
    const res = await ctx.http.request({
      path: `/v3/search/hash/${hash.type}`,
      query: { hash: hash.value, community: 'default' },
      // The raw key is the whole header value, no "Bearer" prefix.
      headers: { authorization: ctx.apiKey ?? '' },
    });
    const { searchAnswer, toolMetadata } = await loaded;
    // 204 No Content (empty body) is PolySwarm's "no results". A 404 stays an error (the HTTP
    // layer's default): it is not the recorded not-found answer, and reading it as a miss could
    // hide a moved API.
    if (res.status === 204) return null;
    return toFinding(res.decode(searchAnswer), hash, toolMetadata);
  },
});

/** The schema of one tool's metadata (its family label), passed in from the loaded schemas. */
type ToolMetadataSchema = typeof import('./schema.js')['toolMetadata'];

export function toFinding(
  answer: SearchAnswer,
  asked: HashRef,
  toolMetadata: ToolMetadataSchema,
): Finding | null {
  const latest = answer.result[0];
  if (!latest) return null;
  const family = polyuniteFamily(latest.metadata, toolMetadata);
  const summary = joinParts(
    latest.polyscore == null ? undefined : `polyscore ${latest.polyscore.toFixed(2)}`,
    family && `family: ${family}`,
  );
  return {
    entries: engineRows(latest),
    ...(summary ? { summary } : {}),
    // The web page is keyed by SHA-256: an MD5/SHA-1 lookup links to the file it resolved to.
    ...sha256Link(asked, latest.sha256, permalink),
  };
}

/** One row per engine that asserted: malicious (with its family) or clean. */
function engineRows(instance: Instance): Entry[] {
  const entries: Entry[] = [];
  for (const a of instance.assertions) {
    if (!a.mask || a.verdict === null) continue;
    const name = a.engine?.name || a.author_name || 'unknown engine';
    entries.push(
      a.verdict
        ? { name, category: 'malicious', detail: a.metadata?.malware_family || null }
        : { name, category: 'clean', detail: null },
    );
  }
  return entries;
}

/** PolySwarm's own family label: the `polyunite` tool's `malware_family`, looked up by tool name. */
function polyuniteFamily(
  metadata: unknown[] | null | undefined,
  toolMetadata: ToolMetadataSchema,
): string | undefined {
  for (const item of metadata ?? []) {
    const parsed = safeParse(toolMetadata, item);
    if (parsed.success && parsed.data.tool === 'polyunite') {
      return parsed.data.tool_metadata?.malware_family || undefined;
    }
  }
  return undefined;
}
