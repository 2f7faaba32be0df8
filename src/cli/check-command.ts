/**
 * `ti-check [paths..] [--hash h] [--hash-file f]`, in four stages: gather targets → look them up →
 * render → exit code. Targets stream through the batch run; streaming formats print each target as
 * soon as it is complete, the others print once at the end.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { type CacheConfig, type Config, cacheConfigSchema, type Policy } from '../config/schema.js';
import { type BatchCounters, type CacheMode, newCounters, runBatch } from '../core/batch.js';
import { type AnswerCache, defaultCacheDir, openCache } from '../core/cache.js';
import {
  type BatchItem,
  checkPathsExist,
  type FsPath,
  openHashList,
  parseSize,
  readHashList,
  walkPaths,
} from '../core/inputs.js';
import { planBatch, renderPlan } from '../core/plan.js';
import { type PreparedService, prepareServices } from '../core/prepare.js';
import { parseHash, targetFromHash } from '../core/targets.js';
import { InputError } from '../errors.js';
import { createRateLimiter, type RateLimiter, type RateLimitSettings } from '../http/rate-limiter.js';
import { type AllowList, parseAllowList } from '../normalize/allow-list.js';
import type { ReportTargetResult, TargetResult } from '../normalize/model.js';
import { judgeTarget } from '../normalize/policy.js';
import { isFlagged, type SortOrder, sortResults, targetName } from '../render/common.js';
import { supportsHyperlinks } from '../render/hyperlink.js';
import { type Format, RENDERERS, type RenderContext, STREAMING_RENDERERS } from '../render/index.js';
import { createStyler } from '../render/styler.js';
import { elideMiddle } from '../render/terminal-text.js';
import { serviceNames } from '../services/names.js';
import type { ServiceDefinition } from '../services/types.js';
import { githubAnnotation, isGitHubActions } from './annotations.js';
import { loadCliConfig } from './config.js';
import { EXIT, exitCodeFor, type FailLevel, isAnswered, OutputClosed } from './exit-codes.js';
import { type CliIo, type CoalescedOutput, coalescedOutput } from './io.js';
import { type OutputPlan, planOutputs, writeFileAtomic } from './output-file.js';
import { NO_PROGRESS, startProgress } from './progress.js';

export interface CheckArgs {
  files: string[];
  hash: string[];
  /** `--format` (or --json / --ndjson); undefined when none was given. */
  format?: Format;
  services?: string[];
  timeout?: number;
  config?: string;
  /** `-o <file>`, repeatable: write the report there (atomically); see planOutputs. */
  output?: string[];
  /** `--quiet`: no report on stdout (files are still written), no progress; the gate's line stays. */
  quiet?: boolean;
  all: boolean;
  open: boolean;
  /** Policy flags; each one left out falls back to the config's `policy`, then the default. */
  failOn?: FailLevel;
  failOnIncomplete?: boolean;
  allow?: string;
  minMaliciousEngines?: number;
  minDetectionRatio?: number;
  trustedEngines?: string[];
  ignoreServices?: string[];
  hashFile?: string[];
  recursive?: boolean;
  followSymlinks?: boolean;
  include?: string[];
  exclude?: string[];
  maxSize?: string;
  cache?: boolean;
  refresh?: boolean;
  offline?: boolean;
  plan?: boolean;
  skipKnownGood?: boolean;
  debug?: boolean;
  /** Report order (default: worst first). */
  sort?: SortOrder;
  /** Report only flagged and unreadable targets; the exit code still counts every one. */
  onlyFlagged?: boolean;
}

/** What `main` turns a lone `-` into (yargs would drop it). */
export const STDIN_ARG = '\u0000stdin';
const DEFAULT_WIDTH = 120;
const DEFAULT_CONCURRENCY = 4;
/** Past this many, "no service could answer" lines are summed up instead of listed. */
const MAX_UNANSWERED_LINES = 20;

export async function runCheck(
  args: CheckArgs,
  io: CliIo,
  registry: readonly ServiceDefinition[],
): Promise<number> {
  const hashFiles = args.hashFile ?? [];
  const isStdin = (f: string) => f === '-' || f === STDIN_ARG;
  const readsStdin = args.files.some(isStdin) || hashFiles.some(isStdin);
  // A name that is not UTF-8 reached argv with U+FFFD in it: the raw bytes open it.
  const paths = args.files.filter((f) => !isStdin(f)).map((f) => io.rawArgs?.get(f) ?? f);
  if (args.files.length === 0 && args.hash.length === 0 && hashFiles.length === 0) {
    throw new InputError(
      'nothing to check: give files or directories, --hash <md5|sha1|sha256>, or --hash-file <file|->',
    );
  }
  if (args.offline && args.cache === false)
    throw new InputError('--offline reads the cache: drop --no-cache');
  // Validate every input before spending any vendor quota.
  const hashes = args.hash.map(parseHash);
  const outputs = planOutputs(args.output ?? [], args.format, args.quiet === true);
  const maxSize = args.maxSize === undefined ? undefined : parseSize(args.maxSize);
  const listFiles = hashFiles.filter((f) => !isStdin(f));
  await checkPathsExist([...paths, ...listFiles]);
  if (readsStdin && !io.stdin) throw new InputError('no standard input to read hashes from');

  const { config, filepath } = await loadCliConfig(args.config, io, registry);
  const policy = resolvePolicy(config.policy, args, registry);
  const allowList = await readAllowList(args, policy, filepath, io);
  const services = prepareServices(registry, config, { only: args.services, timeoutSeconds: args.timeout });
  const rateLimitFor = (id: string): RateLimitSettings =>
    config.services[id]?.rateLimit ?? (registry.find((s) => s.id === id)?.rateLimit as RateLimitSettings);

  let invalidLines = 0;
  const warn = (message: string) => io.stderr.write(`ti-check: ${message}\n`);
  const counters = newCounters();
  const items = gatherTargets({
    paths,
    hashes: hashes.map(targetFromHash),
    hashFiles: listFiles,
    stdin: readsStdin ? io.stdin : undefined,
    args,
    maxSize,
    io,
    onWarning: warn,
    onInvalidLine: (message) => {
      invalidLines++;
      warn(message);
    },
  });

  const cacheSettings = cacheConfigSchema.parse(config.cache ?? {});
  const cache = openCacheFor(args, cacheSettings, io, warn);
  try {
    if (args.plan) {
      const plan = await planBatch(items, services, {
        cache: args.refresh ? undefined : cache,
        rateLimitFor,
      });
      io.stdout.write(
        (args.format ?? 'table') === 'table' ? renderPlan(plan) : `${JSON.stringify({ plan }, null, 2)}\n`,
      );
      return EXIT.ok;
    }
    return await lookUpAndReport({
      items,
      services,
      config,
      policy,
      allowList,
      args,
      outputs,
      io,
      registry,
      cache,
      counters,
      limiters: createLimiters(services, rateLimitFor),
      invalidLines: () => invalidLines,
    });
  } finally {
    cache?.close();
  }
}

interface ReportInput {
  items: AsyncIterable<BatchItem>;
  services: readonly PreparedService[];
  config: Config;
  policy: Policy;
  allowList: AllowList | undefined;
  args: CheckArgs;
  outputs: OutputPlan;
  io: CliIo;
  registry: readonly ServiceDefinition[];
  cache: AnswerCache | undefined;
  counters: BatchCounters;
  limiters: Map<string, RateLimiter>;
  invalidLines(): number;
}

async function lookUpAndReport(input: ReportInput): Promise<number> {
  const { args, io, config, policy } = input;
  // A file is written whole at the end (atomically), so only stdout streams.
  const { outputs } = input;
  const stream =
    outputs.files.length === 0 && outputs.stdout ? STREAMING_RENDERERS[outputs.stdout] : undefined;
  const gate = { failOn: policy.failOn ?? 'malicious', failOnIncomplete: policy.failOnIncomplete };
  const collected: ReportTargetResult[] = [];
  const outcome = {
    targets: 0,
    flagged: false,
    incomplete: false,
    unanswered: [] as string[],
    unansweredCount: 0,
    flaggedCount: 0,
    flaggedShown: [] as string[],
    /** Left out by --only-flagged. */
    hidden: 0,
  };
  const names = Object.fromEntries(input.registry.map((s) => [s.id, s.displayName]));
  const progress =
    args.debug || args.quiet ? NO_PROGRESS : startProgress(io.stderr, input.counters, input.limiters);
  // Streamed lines go out many at a time (at least every 75 ms), never one write per line.
  const printer =
    stream &&
    coalescedOutput(io.stdout, {
      signal: io.signal,
      beforeFlush: () => {
        // A printed answer is a stored one, even if the process is killed the next moment.
        input.cache?.flush();
        progress.clear();
      },
    });
  try {
    await runBatch(printer ? pacedBy(printer, input.items) : input.items, input.services, {
      policy,
      signal: io.signal,
      cache: input.cache,
      cacheMode: cacheMode(args, input.cache),
      limiters: input.limiters,
      concurrencyFor: (id) => config.services[id]?.concurrency ?? DEFAULT_CONCURRENCY,
      skipKnownGood: args.skipKnownGood === true,
      counters: input.counters,
      debug: args.debug ? (line) => io.stderr.write(`ti-check: debug: ${line}\n`) : undefined,
      onResult: (raw, index) => {
        outcome.targets++;
        const result = judgeTarget(raw, { policy, allowList: input.allowList });
        const code = exitCodeFor([result], gate);
        if (code === EXIT.flagged) outcome.flagged = true;
        // Named in the gate's line: the targets whose verdict reached --fail-on (not the incomplete ones).
        if (code === EXIT.flagged && reachesFailLevel(result, gate.failOn)) {
          if (outcome.flaggedCount++ < MAX_FLAGGED_NAMED)
            outcome.flaggedShown.push(describeFlagged(result, names));
        }
        if (code === EXIT.incomplete) outcome.incomplete = true;
        if (!isAnswered(result)) {
          outcome.unansweredCount++;
          if (outcome.unanswered.length < MAX_UNANSWERED_LINES)
            outcome.unanswered.push(describeUnanswered(result, gate.failOnIncomplete === true));
        }
        if (args.onlyFlagged && !isWorthReporting(result)) outcome.hidden++;
        else if (printer && stream) printer.write(stream(result));
        else collected[index] = result;
      },
    });
  } finally {
    // Complete lines are printed after Ctrl-C too; after `| head` went away nobody reads them.
    printer?.close({ discard: io.signal?.reason instanceof OutputClosed });
    progress.stop();
  }
  const results = sortResults(collected.filter(Boolean), args.sort ?? 'verdict');
  if (io.signal?.aborted) {
    // Nobody reads stdout any more: nothing to add, and nothing to say about it.
    if (io.signal.reason instanceof OutputClosed) return EXIT.outputClosed;
    // Ctrl-C: what is complete is still worth having; the report says it is partial on stderr.
    if (!stream) await writeReport(results, outputs, args, io, input.registry, outcome.hidden);
    io.stderr.write(
      // Counted as they completed: with a streaming format nothing is collected, all was printed.
      `ti-check: interrupted: the report covers the ${outcome.targets} targets that were complete\n`,
    );
    return EXIT.interrupted;
  }
  if (!stream) await writeReport(results, outputs, args, io, input.registry, outcome.hidden);
  if (outcome.targets === 0) {
    // An empty directory, filters that leave nothing, a hash list of comments: say so, or an empty
    // table looks like a run that found nothing to worry about.
    io.stderr.write('ti-check: nothing was checked: the inputs held no regular file or hash to look up\n');
  }
  for (const line of outcome.unanswered) io.stderr.write(`ti-check: ${line}\n`);
  if (outcome.unansweredCount > outcome.unanswered.length) {
    io.stderr.write(
      `ti-check: … and ${outcome.unansweredCount - outcome.unanswered.length} more targets with no answer\n`,
    );
  }
  for (const [id, limiter] of input.limiters) {
    if (limiter.exhausted) io.stderr.write(`ti-check: ${id}: ${limiter.exhausted}\n`);
  }
  // A rejected key or a service that kept failing: one line naming the fix, however many rows it cost.
  for (const { definition, run } of input.services) {
    if (run.writtenOff)
      io.stderr.write(`ti-check: ${definition.id}: ${run.secrets.redact(run.writtenOff.message)}\n`);
  }
  if (args.open) await openLinks(results, io);
  if (outcome.flaggedCount > 0) {
    // Whatever went to stdout or -o, the job log says why the gate failed.
    const more =
      outcome.flaggedCount > MAX_FLAGGED_NAMED
        ? `, … and ${outcome.flaggedCount - MAX_FLAGGED_NAMED} more`
        : '';
    const level = gate.failOn === 'suspicious' ? 'suspicious or worse' : 'malicious';
    const why = `${outcome.flaggedCount} of ${outcome.targets} ${outcome.targets === 1 ? 'target' : 'targets'} ${level}: ${outcome.flaggedShown.join(', ')}${more}`;
    io.stderr.write(`ti-check: ${why}\n`);
    if (isGitHubActions(io.env)) io.stderr.write(githubAnnotation('error', 'ti-check', why));
  } else if (outcome.unansweredCount > 0 && isGitHubActions(io.env)) {
    // Exit 3 (or 1 with --fail-on-incomplete): the lines above say which; the annotation sums them up.
    const n = outcome.unansweredCount;
    io.stderr.write(
      githubAnnotation(
        gate.failOnIncomplete ? 'error' : 'warning',
        'ti-check',
        `no service could answer for ${n} of ${outcome.targets} ${outcome.targets === 1 ? 'target' : 'targets'}`,
      ),
    );
  }
  if (outcome.flagged) return EXIT.flagged;
  if (input.invalidLines() > 0) return EXIT.usage;
  return outcome.incomplete ? EXIT.incomplete : EXIT.ok;
}

/** The next target only once stdout's reader has caught up: lines never pile up in memory. */
async function* pacedBy(
  printer: CoalescedOutput,
  items: AsyncIterable<BatchItem>,
): AsyncGenerator<BatchItem> {
  for await (const item of items) {
    await printer.ready();
    yield item;
  }
}

interface GatherOptions {
  paths: readonly FsPath[];
  hashes: readonly TargetResult['target'][];
  hashFiles: readonly string[];
  stdin: Readable | undefined;
  args: CheckArgs;
  maxSize: number | undefined;
  io: CliIo;
  onWarning(message: string): void;
  onInvalidLine(message: string): void;
}

/** Files and directories first, then --hash values, then hash lists (stdin once, however often named). */
async function* gatherTargets(options: GatherOptions): AsyncGenerator<BatchItem> {
  const { args } = options;
  yield* walkPaths(options.paths, {
    recursive: args.recursive !== false,
    followSymlinks: args.followSymlinks === true,
    include: args.include ?? [],
    exclude: args.exclude ?? [],
    maxSize: options.maxSize,
    signal: options.io.signal,
    onWarning: options.onWarning,
  });
  for (const target of options.hashes) yield { target };
  for (const file of options.hashFiles) {
    yield* readHashList(openHashList(file), {
      source: file,
      signal: options.io.signal,
      onWarning: options.onInvalidLine,
    });
  }
  if (options.stdin) {
    yield* readHashList(options.stdin, {
      source: 'stdin',
      signal: options.io.signal,
      onWarning: options.onInvalidLine,
    });
  }
}

function cacheMode(args: CheckArgs, cache: AnswerCache | undefined): CacheMode {
  if (args.offline) return 'offline';
  if (!cache) return 'off';
  return args.refresh ? 'refresh' : 'use';
}

function openCacheFor(
  args: CheckArgs,
  settings: CacheConfig,
  io: CliIo,
  warn: (message: string) => void,
): AnswerCache | undefined {
  if (args.cache === false || (!settings.enabled && !args.offline)) return undefined;
  const dir = settings.dir ?? defaultCacheDir(io.env);
  try {
    return openCache(dir, { found: settings.foundTtl, notFound: settings.notFoundTtl }, Date.now, (error) =>
      warn(`cache unusable, going on without it (${error.message})`),
    );
  } catch (error) {
    // The cache only saves quota: a run without it is still a correct run.
    warn(`cache unavailable, running without it (${(error as Error).message})`);
    return undefined;
  }
}

function createLimiters(
  services: readonly PreparedService[],
  rateLimitFor: (id: string) => RateLimitSettings,
): Map<string, RateLimiter> {
  return new Map(
    services
      .filter((s) => !s.disabledReason)
      .map((s) => [s.definition.id, createRateLimiter(rateLimitFor(s.definition.id))]),
  );
}

function describeUnanswered({ target, error, allowList }: ReportTargetResult, failClosed: boolean): string {
  const name = targetName(target);
  const note = allowList ? ' (allow-listed)' : failClosed ? ' (--fail-on-incomplete: exit 1)' : '';
  return error
    ? `${name}: ${error.message}, not checked${note}`
    : `no service could answer for ${name}${note}`;
}

/** What --only-flagged keeps: flagged targets, and those that could not be read. */
function isWorthReporting(result: ReportTargetResult): boolean {
  return isFlagged(result) || result.error !== undefined;
}

/** Flagged targets named in the gate's stderr line; the rest are counted. */
const MAX_FLAGGED_NAMED = 3;
/** Services named per flagged target in that line. */
const MAX_SERVICES_NAMED = 3;

function reachesFailLevel(result: ReportTargetResult, failOn: string): boolean {
  return result.verdict === 'malicious' || (failOn === 'suspicious' && result.verdict === 'suspicious');
}

/** `dist/app.exe (VirusTotal 53/62, MalwareBazaar AgentTesla)`: the target and who flagged it. */
function describeFlagged(result: ReportTargetResult, names: Readonly<Record<string, string>>): string {
  const by = result.services
    .filter((s) => s.status === 'found' && (s.verdict === 'malicious' || s.verdict === 'suspicious'))
    .map((s) => {
      const name = names[s.service] ?? s.service;
      if (s.stats) return `${name} ${s.stats.malicious}/${s.stats.total}`;
      // The first part of the detail is the family or signature ("AgentTesla · exe · tags: …").
      const label = s.entries.find((e) => e.category === s.verdict)?.detail?.split(' · ')[0];
      return `${name} ${label ? elideMiddle(label, 40) : s.verdict}`;
    });
  const more = by.length > MAX_SERVICES_NAMED ? `, +${by.length - MAX_SERVICES_NAMED} more` : '';
  return `${targetName(result.target)} (${by.slice(0, MAX_SERVICES_NAMED).join(', ')}${more})`;
}

/** `--open` on a directory of 300 samples must not open 900 browser tabs. */
const MAX_PAGES_OPENED = 10;

/**
 * `--open`: the vendor page of every service that knows the file. The report is already out and
 * the exit code decided, so a machine with no browser (a server, CI) gets one warning, never an error.
 */
async function openLinks(results: readonly ReportTargetResult[], io: CliIo): Promise<void> {
  const links = [
    ...new Set(
      results.flatMap((r) =>
        r.services.filter((s) => s.status === 'found' && s.link).map((s) => s.link as string),
      ),
    ),
  ];
  for (const link of links.slice(0, MAX_PAGES_OPENED)) {
    try {
      await io.openUrl(link);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      io.stderr.write(
        `ti-check: --open: no browser could be started (${reason}); the links are in the report\n`,
      );
      return;
    }
  }
  if (links.length > MAX_PAGES_OPENED) {
    io.stderr.write(
      `ti-check: --open: opened the first ${MAX_PAGES_OPENED} of ${links.length} pages; the others are in the report\n`,
    );
  }
}

/** CLI flags win over the config's `policy`, which wins over the defaults. */
function resolvePolicy(fromConfig: Policy, args: CheckArgs, registry: readonly ServiceDefinition[]): Policy {
  const flags: Partial<Policy> = {
    failOn: args.failOn,
    failOnIncomplete: args.failOnIncomplete,
    minMaliciousEngines: args.minMaliciousEngines,
    minDetectionRatio: args.minDetectionRatio,
    trustedEngines: args.trustedEngines,
    ignoreServices: args.ignoreServices,
  };
  const policy: Policy = { ...fromConfig };
  for (const [key, value] of Object.entries(flags)) {
    if (value !== undefined) Object.assign(policy, { [key]: value });
  }
  if (policy.ignoreServices) {
    const names = serviceNames(registry);
    policy.ignoreServices = policy.ignoreServices.map((name) =>
      names.require(name, 'unknown ignored service'),
    );
  }
  return policy;
}

/** `--allow` is relative to the working directory; `policy.allowList` to the config file. */
async function readAllowList(
  args: CheckArgs,
  policy: Policy,
  configPath: string | null,
  io: CliIo,
): Promise<AllowList | undefined> {
  const path = args.allow
    ? resolve(io.cwd, args.allow)
    : policy.allowList
      ? resolve(configPath ? dirname(configPath) : io.cwd, policy.allowList)
      : undefined;
  if (!path) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = cause instanceof Error && 'code' in cause ? String(cause.code) : String(cause);
    throw new InputError(`cannot read allow-list ${args.allow ?? policy.allowList}: ${code}`, { cause });
  }
  return parseAllowList(text, args.allow ?? policy.allowList ?? path);
}

/** The output stage: each `-o` file written whole (atomically), then stdout if it gets a report. */
async function writeReport(
  judged: readonly ReportTargetResult[],
  outputs: OutputPlan,
  args: CheckArgs,
  io: CliIo,
  registry: readonly ServiceDefinition[],
  hidden: number,
): Promise<void> {
  for (const file of outputs.files) {
    const text = RENDERERS[file.format](judged, { ...renderContext(args, io, registry, true), hidden });
    await writeFileAtomic(file.path, text, io.cwd);
  }
  if (outputs.stdout)
    io.stdout.write(
      RENDERERS[outputs.stdout](judged, { ...renderContext(args, io, registry, false), hidden }),
    );
}

function renderContext(
  args: CheckArgs,
  io: CliIo,
  registry: readonly ServiceDefinition[],
  toFile: boolean,
): RenderContext {
  return {
    // A file gets no colour codes unless FORCE_COLOR asks for them.
    styler: createStyler({ isTTY: !toFile && io.stdout.isTTY === true, env: io.env }),
    names: Object.fromEntries(registry.map((s) => [s.id, s.displayName])),
    width: toFile ? DEFAULT_WIDTH : (io.stdout.columns ?? DEFAULT_WIDTH),
    showAll: args.all,
    hyperlinks: !toFile && supportsHyperlinks(io.env, io.stdout.isTTY === true),
  };
}
