/**
 * `ti-check [files..] [--hash h]`, in four stages: gather targets → look them up → render → exit code.
 */
import { loadConfig } from '../config/load.js';
import { type PreparedService, prepareServices } from '../core/prepare.js';
import { checkTarget } from '../core/run.js';
import { parseHash, targetFromFile, targetFromHash } from '../core/targets.js';
import { InputError } from '../errors.js';
import type { Target, TargetResult } from '../normalize/model.js';
import { type Format, RENDERERS, type RenderContext } from '../render/index.js';
import { createStyler } from '../render/styler.js';
import type { ServiceDefinition } from '../services/types.js';
import { EXIT, exitCodeFor, type FailLevel, isAnswered } from './exit-codes.js';
import type { CliIo } from './io.js';

export interface CheckArgs {
  files: string[];
  hash: string[];
  format: Format;
  services?: string[];
  timeout?: number;
  config?: string;
  failOn: FailLevel;
  all: boolean;
  open: boolean;
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
  const { config } = await loadConfig({
    path: args.config,
    cwd: io.cwd,
    env: io.env,
    serviceIds: registry.map((s) => s.id),
  });
  const services = prepareServices(registry, config, { only: args.services, timeoutSeconds: args.timeout });

  const targets = await gatherTargets(args.files, hashes.map(targetFromHash), io);
  const results = await lookUp(targets, services, { policy: config.policy, signal: io.signal });
  if (io.signal?.aborted) return EXIT.interrupted;

  io.stdout.write(RENDERERS[args.format](results, renderContext(args, io, registry)));
  warnUnanswered(results, io);
  if (args.open) await openLinks(results, io);
  return exitCodeFor(results, args.failOn);
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

function renderContext(args: CheckArgs, io: CliIo, registry: readonly ServiceDefinition[]): RenderContext {
  return {
    styler: createStyler({ isTTY: io.stdout.isTTY === true, env: io.env }),
    names: Object.fromEntries(registry.map((s) => [s.id, s.displayName])),
    width: io.stdout.columns ?? DEFAULT_WIDTH,
    showAll: args.all,
  };
}

function warnUnanswered(results: readonly TargetResult[], io: CliIo): void {
  for (const { target } of results.filter((r) => !isAnswered(r))) {
    const name = target.path ?? target.sha256 ?? target.sha1 ?? target.md5;
    io.stderr.write(`ti-check: no service could answer for ${name}\n`);
  }
}

/** `--open`: the vendor page of every service that knows the file. */
async function openLinks(results: readonly TargetResult[], io: CliIo): Promise<void> {
  const links = new Set(
    results.flatMap((r) =>
      r.services.filter((s) => s.status === 'found' && s.link).map((s) => s.link as string),
    ),
  );
  for (const link of links) await io.openUrl(link);
}
