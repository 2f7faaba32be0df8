/**
 * `ti-check [files..] [--hash h]`, in four stages: gather targets → look them up → render → exit code.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { Policy } from '../config/schema.js';
import { type PreparedService, prepareServices } from '../core/prepare.js';
import { checkTarget } from '../core/run.js';
import { parseHash, targetFromFile, targetFromHash } from '../core/targets.js';
import { InputError } from '../errors.js';
import { type AllowList, parseAllowList } from '../normalize/allow-list.js';
import type { ReportTargetResult, Target, TargetResult } from '../normalize/model.js';
import { judgeTarget } from '../normalize/policy.js';
import { type Format, RENDERERS, type RenderContext } from '../render/index.js';
import { createStyler } from '../render/styler.js';
import type { ServiceDefinition } from '../services/types.js';
import { EXIT, exitCodeFor, type FailLevel, isAnswered } from './exit-codes.js';
import type { CliIo } from './io.js';
import { writeFileAtomic } from './output-file.js';

export interface CheckArgs {
  files: string[];
  hash: string[];
  format: Format;
  services?: string[];
  timeout?: number;
  config?: string;
  /** `--output <file>`: write the report there (atomically) instead of stdout. */
  output?: string;
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
}

const DEFAULT_WIDTH = 120;

export async function runCheck(
  args: CheckArgs,
  io: CliIo,
  registry: readonly ServiceDefinition[],
): Promise<number> {
  if (args.files.length === 0 && args.hash.length === 0) {
    throw new InputError('nothing to check: give one or more files, or --hash <md5|sha1|sha256>');
  }
  // Validate every input before spending any vendor quota.
  const hashes = args.hash.map(parseHash);
  const { config, filepath } = await loadConfig({
    path: args.config,
    cwd: io.cwd,
    env: io.env,
    serviceIds: registry.map((s) => s.id),
  });
  const policy = resolvePolicy(config.policy, args, registry);
  const allowList = await readAllowList(args, policy, filepath, io);
  const services = prepareServices(registry, config, { only: args.services, timeoutSeconds: args.timeout });

  const targets = await gatherTargets(args.files, hashes.map(targetFromHash), io);
  const results = await lookUp(targets, services, { policy, signal: io.signal });
  if (io.signal?.aborted) return EXIT.interrupted;

  const judged = results.map((result) => judgeTarget(result, { policy, allowList }));
  await writeReport(judged, args, io, registry);
  warnUnanswered(judged, io, policy.failOnIncomplete === true);
  if (args.open) await openLinks(judged, io);
  return exitCodeFor(judged, {
    failOn: policy.failOn ?? 'malicious',
    failOnIncomplete: policy.failOnIncomplete,
  });
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
  const ids = registry.map((s) => s.id);
  const unknown = (policy.ignoreServices ?? []).find((id) => !ids.includes(id));
  if (unknown)
    throw new InputError(`ignored service "${unknown}" is not a service (valid: ${ids.join(', ')})`);
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

/** The output stage: the chosen format on stdout, or whole into `--output` with stdout left empty. */
async function writeReport(
  judged: readonly ReportTargetResult[],
  args: CheckArgs,
  io: CliIo,
  registry: readonly ServiceDefinition[],
): Promise<void> {
  const toFile = args.output !== undefined;
  const text = RENDERERS[args.format](judged, renderContext(args, io, registry, toFile));
  if (args.output !== undefined) await writeFileAtomic(args.output, text, io.cwd);
  else io.stdout.write(text);
}

async function gatherTargets(files: readonly string[], hashTargets: Target[], io: CliIo): Promise<Target[]> {
  const targets: Target[] = [];
  for (const file of files) targets.push(await targetFromFile(file, io.signal));
  return [...targets, ...hashTargets];
}

async function lookUp(
  targets: readonly Target[],
  services: readonly PreparedService[],
  options: Parameters<typeof checkTarget>[2],
): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  for (const target of targets) results.push(await checkTarget(target, services, options));
  return results;
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
  };
}

function warnUnanswered(results: readonly ReportTargetResult[], io: CliIo, failClosed: boolean): void {
  for (const { target, allowList } of results.filter((r) => !isAnswered(r))) {
    const name = target.path ?? target.sha256 ?? target.sha1 ?? target.md5;
    const note = allowList ? ' (allow-listed)' : failClosed ? ' (--fail-on-incomplete: exit 1)' : '';
    io.stderr.write(`ti-check: no service could answer for ${name}${note}\n`);
  }
}

/** `--open`: the vendor page of every service that knows the file. */
async function openLinks(results: readonly ReportTargetResult[], io: CliIo): Promise<void> {
  const links = new Set(
    results.flatMap((r) =>
      r.services.filter((s) => s.status === 'found' && s.link).map((s) => s.link as string),
    ),
  );
  for (const link of links) await io.openUrl(link);
}
