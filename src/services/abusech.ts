/**
 * The protocol the four abuse.ch APIs share (MalwareBazaar, ThreatFox, URLhaus, YARAify): a POST
 * with the account's Auth-Key header, answered by a body whose `query_status` says how it went.
 * Each adapter names its endpoint, its body and its "not found" words; this decides the rest.
 */
import { AuthError, BadResponseError } from '../errors.js';
import type { HttpRequest, HttpResponse } from '../http/client.js';
import { loadSchemas } from './kit.js';
import type { LookupContext } from './types.js';

/** Loaded as an adapter's schemas are (./kit.ts): once the request is out. */
const schemas = loadSchemas(() => import('./abusech-schema.js'));

export interface AbuseChQuery {
  /** The vendor's name, for messages. */
  name: string;
  path: string;
  body: Pick<HttpRequest, 'form' | 'json'>;
  /** Statuses that mean "never seen this hash". */
  notFound: readonly string[];
  /** Statuses that mean the key is refused. */
  refused?: readonly string[];
}

/** The answer when `query_status` is `ok`; null when the hash is unknown; an error for anything else. */
export async function queryAbuseCh(ctx: LookupContext, query: AbuseChQuery): Promise<HttpResponse | null> {
  const loading = schemas();
  const res = await ctx.http.request({
    method: 'POST',
    path: query.path,
    headers: { 'Auth-Key': ctx.apiKey ?? '' },
    ...query.body,
  });
  const { query_status: status } = res.decode((await loading).statusSchema);
  if (status === 'ok') return res;
  if (query.notFound.includes(status)) return null;
  if ((query.refused ?? ['unknown_auth_key']).includes(status)) {
    throw new AuthError(`${query.name} refused the Auth-Key (${status})`);
  }
  // illegal_hash, invalid_sha256, http_post_expected, … : the request or the API changed, never "not found".
  throw new BadResponseError(`${query.name} answered query_status "${status}"`);
}
