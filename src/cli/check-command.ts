/**
 * `ti-check [paths..] [--hash h] [--hash-file f]`: the arguments checked and turned into a check
 * request, the pipeline run by core's `check`, then the report rendered (streaming formats print each
 * target as soon as it is complete, the others once at the end), the closing lines and the exit code.
 */
import { cacheSettingsOf } from '../config/defaults.js';
import { type BatchCounters, newCounters } from '../core/batch.js';
import { type CheckOutcome, type CheckRequest, check, DEFAULT_CONCURRENCY } from '../core/check.js';
import { linksOf } from '../core/describe.js';
import { gatherTargets } from '../core/gather.js';
import { createLimiters, rateLimitsFrom } from '../core/limiters.js';
import { cacheModeFor, openAnswerCache } from '../core/open-cache.js';
import { planBatch } from '../core/plan.js';
import { readAllowList, resolvePolicy } from '../core/policy-flags.js';
import { prepareServices, serviceAt } from '../core/prepare.js';
import { parseHash, targetFromHash } from '../core/targets.js';
import { checkPathsExist } from '../core/walk.js';
import { InputError } from '../errors.js';
import type { ReportTargetResult } from '../model/report.js';
import { sortResults } from '../render/common.js';
import { preloadRenderers, STREAMING_RENDERERS } from '../render/index.js';
import { renderPlan } from '../render/plan.js';
import type { ServiceDefinition } from '../services/types.js';
import { type CheckArgs, STDIN_ARG } from './check-args.js';
import { policyFlagsFrom } from './check-options.js';
import { loadCliConfig } from './config.js';
import { EXIT, OutputClosed } from './exit-codes.js';
import { type CliIo, coalescedOutput } from './io.js';
import { writeGateLine, writeOutcomeLines } from './outcome-lines.js';
import { type OutputPlan, planOutputs } from './output-file.js';
import { NO_PROGRESS, startProgress } from './progress.js';
import { openLinks, writeReport } from './report.js';
import { parseSize } from './size.js';

export type { CheckArgs } from './check-args.js';
export { STDIN_ARG };

export async function runCheck(
  args: CheckArgs,
  io: CliIo,
  builtIn: readonly ServiceDefinition[],
): Promise<number> {
  io.onCheckCommand?.();
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
  if (args.cacheRequired && args.cache === false)
    throw new InputError('--cache-required asks for the shared cache: drop --no-cache');
  // Validate every input before spending any vendor quota.
  const hashes = args.hash.map(parseHash);
  const outputs = planOutputs(args.output ?? [], args.format, args.quiet === true);
  const maxSize = args.maxSize === undefined ? undefined : parseSize(args.maxSize);
  if (args.failOnDrift && args.baseline === undefined) {
    throw new InputError('--fail-on-drift compares with a baseline: add --baseline <earlier report.json>');
  }
  // Loaded only for --baseline: it reads an earlier report through the report's own schema.
  const baseline =
    args.baseline === undefined
      ? undefined
      : await (await import('../core/baseline.js')).readBaseline(args.baseline, io.cwd);
  const listFiles = hashFiles.filter((f) => !isStdin(f));
  await checkPathsExist([...paths, ...listFiles]);
  if (readsStdin && !io.stdin) throw new InputError('no standard input to read hashes from');

  // The built-in services and the plugins that loaded.
  const { config, filepath, registry } = await loadCliConfig(args.config, io, builtIn);
  const policy = resolvePolicy(config.policy, policyFlagsFrom(args), registry);
  const allowList = await readAllowList(args.allow, policy, filepath, io.cwd);
  const services = prepareServices(registry, config, { only: args.services, timeoutSeconds: args.timeout });
  const rateLimitFor = rateLimitsFrom(config, registry);
  const warn = (message: string) => io.stderr.write(`ti-check: ${message}\n`);
  const gather = {
    paths,
    hashes: hashes.map(targetFromHash),
    hashFiles: listFiles,
    stdin: readsStdin ? io.stdin?.() : undefined,
    walk: {
      recursive: args.recursive !== false,
      followSymlinks: args.followSymlinks === true,
      include: args.include ?? [],
      exclude: args.exclude ?? [],
      maxSize,
    },
  };
  const cacheRequest = {
    disabled: args.cache === false,
    offline: args.offline === true,
    refresh: args.refresh === true,
    url: typeof args.cache === 'string' ? args.cache : undefined,
    required: args.cacheRequired === true,
    settings: cacheSettingsOf(config),
    env: io.env,
  };
  const { cache, fleet } = await openAnswerCache(cacheRequest, warn);
  try {
    if (args.plan) {
      const items = gatherTargets(gather, { signal: io.signal, onWarning: warn, onInvalidLine: warn });
      const plan = await planBatch(items, services, {
        cache: args.refresh ? undefined : cache,
        rateLimitFor,
        // Today's requests so far: the fleet's (Redis), or this machine's cached answers of the day.
        usedToday: await cache?.usedToday(services.map(serviceAt)),
      });
      io.stdout.write(
        (args.format ?? 'table') === 'table' ? renderPlan(plan) : `${JSON.stringify({ plan }, null, 2)}\n`,
      );
      return EXIT.ok;
    }
    const request: CheckRequest = {
      ...gather,
      services,
      policy,
      allowList,
      cache,
      cacheMode: cacheModeFor(cacheRequest, cache),
      limiters: createLimiters(services, rateLimitFor, fleet),
      concurrencyFor: (id) => config.services[id]?.concurrency ?? DEFAULT_CONCURRENCY,
      skipKnownGood: args.skipKnownGood === true,
      onlyFlagged: args.onlyFlagged === true,
      names: Object.fromEntries(registry.map((s) => [s.id, s.displayName])),
      baseline,
      fleet,
    };
    return await lookUpAndReport(request, args, outputs, io, registry);
  } finally {
    await cache?.close();
  }
}

async function lookUpAndReport(
  request: CheckRequest,
  args: CheckArgs,
  outputs: OutputPlan,
  io: CliIo,
  registry: readonly ServiceDefinition[],
): Promise<number> {
  // A file is written whole at the end (atomically), so only stdout streams.
  const stream =
    outputs.files.length === 0 && outputs.stdout ? STREAMING_RENDERERS[outputs.stdout] : undefined;
  if (!stream) preloadRenderers();
  const collected: ReportTargetResult[] = [];
  // Streamed targets are not kept: --open only needs their links, in input order.
  const streamedLinks: string[][] = [];
  const counters: BatchCounters = newCounters();
  const progress =
    args.debug || args.quiet ? NO_PROGRESS : startProgress(io.stderr, counters, request.limiters);
  // Streamed lines go out many at a time (at least every 75 ms), never one write per line.
  const printer =
    stream &&
    coalescedOutput(io.stdout, {
      signal: io.signal,
      beforeFlush: () => {
        // A printed answer is a stored one, even if the process is killed the next moment.
        request.cache?.flush();
        progress.clear();
      },
    });
  let outcome: CheckOutcome;
  try {
    outcome = await check(request, {
      signal: io.signal,
      counters,
      ready: printer ? () => printer.ready() : undefined,
      onWarning: (message) => io.stderr.write(`ti-check: ${message}\n`),
      debug: args.debug ? (line) => io.stderr.write(`ti-check: debug: ${line}\n`) : undefined,
      onTarget: (result, index) => {
        if (!stream) collected[index] = result;
        else {
          printer?.write(stream(result));
          if (args.open) streamedLinks[index] = linksOf(result);
        }
      },
    });
  } finally {
    // Complete lines are printed after Ctrl-C too; after `| head` went away nobody reads them.
    printer?.close({ discard: io.signal?.reason instanceof OutputClosed });
    progress.stop();
  }
  const results = sortResults(collected.filter(Boolean), args.sort ?? 'verdict');
  const view = { all: args.all, hidden: outcome.hidden };
  if (outcome.interrupted) {
    // Nobody reads stdout any more: nothing to add, and nothing to say about it.
    if (io.signal?.reason instanceof OutputClosed) return EXIT.outputClosed;
    // Ctrl-C: what is complete is still worth having; the report says it is partial on stderr.
    if (!stream) await writeReport(results, outputs, view, io, registry);
    io.stderr.write(
      // Counted as they completed: with a streaming format nothing is collected, all was printed.
      `ti-check: interrupted: the report covers the ${outcome.targets} targets that were complete\n`,
    );
    return EXIT.interrupted;
  }
  if (!stream) await writeReport(results, outputs, view, io, registry);
  writeOutcomeLines(outcome, io);
  if (args.open) {
    await openLinks(stream ? streamedLinks.filter(Boolean).flat() : results.flatMap(linksOf), io);
  }
  writeGateLine(outcome, io);
  if (outcome.flagged) return EXIT.flagged;
  if (outcome.invalidLines > 0) return EXIT.usage;
  return outcome.incomplete ? EXIT.incomplete : EXIT.ok;
}
