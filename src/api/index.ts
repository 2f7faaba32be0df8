/**
 * The library API: `import { check, services } from 'ti-check'`. The pipeline the CLI runs (config
 * and plugins, hash files or take hashes, ask every enabled service, apply the policy) as functions
 * that return the schemaVersion 1 report objects — no console output, no process.exit. Errors the
 * CLI would print as one line are thrown (`ConfigError`, `InputError`); a vendor that fails is a red
 * row in the report, as on the command line.
 */
import { resolve } from 'node:path';
import type { z } from 'zod';
import { cacheSettingsOf } from '../config/defaults.js';
import type { configSchema } from '../config/schema.js';
import { baselineFrom, readBaseline } from '../core/baseline.js';
import { catalogueRows } from '../core/catalogue.js';
import { type CheckOutcome, DEFAULT_CONCURRENCY, check as runCheck } from '../core/check.js';
import { createLimiters, rateLimitsFrom } from '../core/limiters.js';
import { cacheModeFor, openAnswerCache } from '../core/open-cache.js';
import { readAllowList, resolvePolicy } from '../core/policy-flags.js';
import { prepareServices } from '../core/prepare.js';
import { loadSetup } from '../core/setup.js';
import { parseHash, targetFromHash } from '../core/targets.js';
import { checkPathsExist } from '../core/walk.js';
import type { CatalogueRow } from '../model/catalogue.js';
import type { Policy } from '../model/policy.js';
import type { Report, ReportTargetResult } from '../model/report.js';
import { SCHEMA_VERSION } from '../model/report-values.js';
import { SERVICES } from '../services/index.js';

export {
  AuthError,
  BadResponseError,
  ConfigError,
  InputError,
  NetworkError,
  RateLimitError,
  ServiceError,
  TiCheckError,
  TimeoutError,
  UnavailableError,
} from '../errors.js';
export type { CatalogueRow } from '../model/catalogue.js';
export type { Policy } from '../model/policy.js';
export type {
  Category,
  Entry,
  OverallVerdict,
  Report,
  ReportTargetResult,
  ServiceResult,
  Target,
} from '../model/report.js';
export type { PluginKit } from '../services/plugin-kit.js';
export type { Finding, LookupContext, ServiceDefinition } from '../services/types.js';
export type { CheckOutcome };

/** A config as an object: the config file's shape (README "Configuration"). */
export type ConfigInput = z.input<typeof configSchema>;

/** Where the config, plugins and keys come from; shared by `check` and `services`. */
export interface SetupOptions {
  /** A config file to read, or a config object; default: the CLI's search from `cwd`. */
  config?: string | ConfigInput;
  /** Relative paths (files, the config, hash lists) start here; default `process.cwd()`. */
  cwd?: string;
  /** Where `TI_CHECK_<ID>_KEY` / `_URL` and the config folder are read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** false: no plugin services (default: the config folder's `services/` and the config's `plugins`). */
  plugins?: boolean;
  /** A plugin left out, a file skipped during a walk, a cache that cannot be used… (default: ignored). */
  onWarning?(message: string): void;
}

export interface CheckOptions extends SetupOptions {
  /** Files or directories to hash and look up (directories are walked). */
  files?: readonly string[];
  /** MD5, SHA-1 or SHA-256 values. */
  hashes?: readonly string[];
  /** Hash lists, one `<hash> [label]` per line. */
  hashFiles?: readonly string[];
  /** Only these services (ids or aliases), in this order; default every enabled one. */
  services?: readonly string[];
  /** Laid over the config's `policy` (as the CLI's flags are), e.g. `{ failOn: 'suspicious' }`. */
  policy?: Partial<Policy>;
  /** `refresh` asks again and overwrites, `offline` answers from the cache only; default `use`. */
  cache?: 'use' | 'refresh' | 'offline' | false;
  /** Seconds per service lookup (the config's `timeout` otherwise). */
  timeout?: number;
  /** Walk directories recursively (default true), follow symlinks (default false). */
  recursive?: boolean;
  followSymlinks?: boolean;
  /** Globs a walked file must match / must not match. */
  include?: readonly string[];
  exclude?: readonly string[];
  /** Skip files larger than this many bytes. */
  maxSize?: number;
  /** Stop asking once a known-good service knows the file. */
  skipKnownGood?: boolean;
  /** Keep only flagged and unreadable targets in the report (the others still gate). */
  onlyFlagged?: boolean;
  /**
   * An earlier report (as `check` returned it, or the path of a `ti-check --json` file): each target
   * gets its `drift`, and `policy: { failOnDrift: true }` gates on targets worse than in it.
   */
  baseline?: string | Report;
  /** Stops the run: `check` resolves with what is complete and `outcome.interrupted`. */
  signal?: AbortSignal;
  /** Each target the report keeps, as soon as it is complete (in completion order, with its input index). */
  onTarget?(result: ReportTargetResult, index: number): void;
}

export interface CheckResult {
  /** What `ti-check --json` prints: schemaVersion 1, the targets in input order. */
  report: Report;
  /**
   * The gate: `flagged` (a target reached `policy.failOn`; the CLI exits 1), `incomplete` (some
   * target got no answer; exit 3), counts, and the summaries the CLI prints on stderr.
   */
  outcome: CheckOutcome;
}

function setupOf(options: SetupOptions) {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const { config } = options;
  return loadSetup({
    cwd,
    env,
    builtIn: SERVICES,
    plugins: options.plugins,
    ...(typeof config === 'string' ? { path: resolve(cwd, config) } : { inline: config }),
  }).then((setup) => {
    for (const warning of setup.warnings) options.onWarning?.(warning);
    return { ...setup, cwd, env };
  });
}

/** Looks files and hashes up in every enabled service (or `options.services`), as `ti-check` does. */
export async function check(options: CheckOptions): Promise<CheckResult> {
  const warn = (message: string) => options.onWarning?.(message);
  const { config, filepath, registry, cwd, env } = await setupOf(options);
  // Every input checked before any vendor quota is spent.
  const hashes = (options.hashes ?? []).map(parseHash);
  // Paths stay as given (the report shows them so), unless `cwd` says where they start.
  const from = (f: string) => (options.cwd === undefined ? f : resolve(cwd, f));
  const paths = (options.files ?? []).map(from);
  const hashFiles = (options.hashFiles ?? []).map(from);
  await checkPathsExist([...paths, ...hashFiles]);
  const policy = resolvePolicy(config.policy, options.policy ?? {}, registry);
  const baseline =
    options.baseline === undefined
      ? undefined
      : typeof options.baseline === 'string'
        ? await readBaseline(options.baseline, cwd)
        : baselineFrom(options.baseline, 'baseline');
  const allowList = await readAllowList(undefined, policy, filepath, cwd);
  const services = prepareServices(registry, config, {
    only: options.services,
    timeoutSeconds: options.timeout,
  });
  const mode = options.cache ?? 'use';
  const cacheRequest = {
    disabled: mode === false,
    offline: mode === 'offline',
    refresh: mode === 'refresh',
    settings: cacheSettingsOf(config),
    env,
  };
  // A fleet's Redis when the config or TI_CHECK_CACHE_URL names one (README: "A fleet on one Redis").
  const { cache, fleet } = await openAnswerCache(cacheRequest, warn);
  const results: ReportTargetResult[] = [];
  try {
    const outcome = await runCheck(
      {
        paths,
        hashes: hashes.map(targetFromHash),
        hashFiles,
        walk: {
          recursive: options.recursive !== false,
          followSymlinks: options.followSymlinks === true,
          include: options.include ?? [],
          exclude: options.exclude ?? [],
          maxSize: options.maxSize,
        },
        services,
        policy,
        allowList,
        cache,
        cacheMode: cacheModeFor(cacheRequest, cache),
        limiters: createLimiters(services, rateLimitsFrom(config, registry), fleet),
        concurrencyFor: (id) => config.services[id]?.concurrency ?? DEFAULT_CONCURRENCY,
        skipKnownGood: options.skipKnownGood === true,
        onlyFlagged: options.onlyFlagged === true,
        baseline,
        fleet,
        names: Object.fromEntries(registry.map((s) => [s.id, s.displayName])),
      },
      {
        signal: options.signal,
        onWarning: warn,
        onTarget: (result, index) => {
          results[index] = result;
          options.onTarget?.(result, index);
        },
      },
    );
    return { report: { schemaVersion: SCHEMA_VERSION, results: results.filter(Boolean) }, outcome };
  } finally {
    await cache?.close();
  }
}

/** Every service (built-in and plugin), and whether this config and environment let it run. */
export async function services(options: SetupOptions = {}): Promise<CatalogueRow[]> {
  const { config, registry } = await setupOf(options);
  return catalogueRows(registry, config);
}
