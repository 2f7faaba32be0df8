/**
 * Plugin services: the kit a plugin gets (the one built-in adapters use — `defineService`, zod, the
 * adapter helpers, the error classes), and the check of what it hands back. A plugin imports nothing
 * of ti-check; its lookups get the same context as a built-in's (`ctx.http`: deadline, rate limit,
 * retries, redaction, redirect rules, body cap; `ctx.apiKey`: its own key and no other).
 */
import { z } from 'zod';
import { baseUrlProblem } from '../config/rules.js';
import { AuthError, BadResponseError, RateLimitError, UnavailableError } from '../errors.js';
import { categorySchema, entrySchema, HASH_TYPES, type HashRef } from '../model/report.js';
import { safeParse } from '../model/safe-parse.js';
import { worstVerdict } from '../model/verdict.js';
import { joinDetail, joinParts, labelled, plural, safeJson, sha256Link, unique } from './kit.js';
import type { PluginZod } from './plugin-zod.js';
import { listOrEmpty, loose, looseOrUndefined } from './schema-kit.js';
import { defineService, type Finding, type ServiceDefinition } from './types.js';

function kitWith(zod: PluginZod) {
  return Object.freeze({
    defineService,
    z: zod,
    joinDetail,
    joinParts,
    plural,
    labelled,
    unique,
    sha256Link,
    safeJson,
    loose,
    looseOrUndefined,
    listOrEmpty,
    worstVerdict,
    /** Throw these from `lookup`: each becomes a red row with its code (`auth`, `bad_response`, …). */
    errors: Object.freeze({ AuthError, BadResponseError, RateLimitError, UnavailableError }),
  });
}
/** What a plugin module's default-export function is called with. Frozen: no plugin changes it for another. */
export type PluginKit = ReturnType<typeof kitWith>;

let kit: Promise<PluginKit> | undefined;

/**
 * The kit, the same object for every plugin of the run. Loaded on the first plugin only: plugins
 * get zod's whole namespace (locales, JSON Schema), which nothing else needs — in the CLI bundle
 * it is a chunk of its own, so that a run without plugins neither compiles nor evaluates it.
 */
export function pluginKit(): Promise<PluginKit> {
  kit ??= import('./plugin-zod.js').then(({ z }) => kitWith(z));
  return kit;
}

/** Ids and aliases: also the env-var stem (`TI_CHECK_<ID>_KEY`), so letters and digits only. */
const NAME = /^[a-z][a-z0-9]{1,31}$/;
const NAME_RULE = 'expected 2–32 lower-case letters and digits, starting with a letter';
/** Shown in every report format: printable text only. */
const PRINTABLE = /^[^\p{C}]+$/u;
const isFunction = (value: unknown) => typeof value === 'function';
const fn = <T>() => z.custom<T>(isFunction, { message: 'expected a function' });
const url = z.string().refine((value) => URL.canParse(value), 'expected an absolute URL');

/** The shape a plugin's service definition must have (the contract in the README). */
export const pluginDefinitionSchema = z
  .object({
    id: z.string().regex(NAME, NAME_RULE),
    displayName: z.string().min(1).max(60).regex(PRINTABLE, 'expected printable text'),
    aliases: z.array(z.string().regex(NAME, NAME_RULE)).optional(),
    kind: z.enum(['multi-engine', 'sandbox', 'repository', 'reputation', 'known-good']),
    hashTypes: z.array(z.enum(HASH_TYPES)).min(1),
    auth: z.object({ key: z.enum(['none', 'required', 'optional']), signup: url.optional() }).strict(),
    baseUrl: z.string().superRefine((value, ctx) => {
      const problem = baseUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    rateLimit: z
      .object({
        requests: z.number().int().min(1),
        perSeconds: z.number().positive(),
        daily: z.number().int().min(1).optional(),
        source: url.optional(),
        basis: z.enum(['documented', 'conservative', 'documented-daily']).optional(),
      })
      .strict(),
    requestsPerLookup: z.number().int().min(1).max(20).optional(),
    maxAnswerMiB: z.number().positive().max(256).optional(),
    docs: url.optional(),
    link: fn<(hash: HashRef) => unknown>().optional(),
    lookup: fn<(hash: HashRef, ctx: Parameters<ServiceDefinition['lookup']>[1]) => unknown>(),
  })
  .strict();

const digest = z.string().nullish();
/** What `lookup` must resolve to when the service knows the hash (null when it does not). */
const findingSchema = z
  .object({
    entries: z.array(entrySchema.strict()),
    verdict: categorySchema.optional(),
    summary: z.string().optional(),
    link: url.optional(),
    hashes: z.object({ md5: digest, sha1: digest, sha256: digest }).partial().strict().optional(),
  })
  .strict();

/** `path.to.key: what was expected` for the first issues of a failed check. */
export function describeIssues(error: z.ZodError, max = 3): string {
  const clauses = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.map(String).join('.');
    return `${path || '(root)'}: ${issue.message}`;
  });
  const more = error.issues.length - max;
  return `${clauses.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

/**
 * The checked definition, as the registry holds it: marked with its file, its link never throwing,
 * and its answers checked — anything but null or a valid finding is a `bad_response` row (fail
 * closed: a plugin that returns `undefined` has not said "not found").
 */
export function pluginService(
  definition: z.output<typeof pluginDefinitionSchema>,
  file: string,
): ServiceDefinition {
  const { link, lookup, docs = definition.baseUrl, ...rest } = definition;
  const linkOf = (hash: HashRef): string => {
    try {
      const value = link?.(hash);
      if (typeof value === 'string' && URL.canParse(value)) return value;
    } catch {
      // A plugin's link bug must not hide its lookup's answer.
    }
    return definition.baseUrl;
  };
  return {
    ...rest,
    docs,
    rateLimit: {
      ...definition.rateLimit,
      source: definition.rateLimit.source ?? docs,
      basis: definition.rateLimit.basis ?? 'conservative',
    },
    plugin: file,
    link: linkOf,
    async lookup(hash, ctx) {
      const answer = await lookup(hash, ctx);
      if (answer === null) return null;
      const finding = safeParse(findingSchema, answer);
      if (!finding.success) {
        throw new BadResponseError(
          `the plugin returned neither null nor a finding (${describeIssues(finding.error)})`,
        );
      }
      return finding.data satisfies Finding;
    },
  };
}
