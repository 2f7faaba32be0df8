/** `ti-check [files..] [--hash h]`: parse → hash → look up → render → exit code. */
import { loadConfig } from '../config/load.js';
import { prepareServices } from '../core/prepare.js';
import { checkTarget } from '../core/run.js';
import { parseHash, targetFromFile, targetFromHash } from '../core/targets.js';
import { InputError } from '../errors.js';
import type { Target, TargetResult } from '../normalize/model.js';
import { renderJson } from '../render/json.js';
import { createStyler } from '../render/styler.js';
import { renderTable } from '../render/table.js';
import type { ServiceDefinition } from '../services/types.js';
import { EXIT, exitCodeFor, type FailLevel, isAnswered } from './exit-codes.js';
import type { CliIo } from './io.js';

export interface CheckArgs {
  files: string[];
  hash: string[];
  json: boolean;
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
  const targets: Target[] = [];
  for (const file of args.files) targets.push(await targetFromFile(file, io.signal));
  targets.push(...hashes.map(targetFromHash));

  const results: TargetResult[] = [];
  for (const target of targets) {
    results.push(await checkTarget(target, services, { policy: config.policy, signal: io.signal }));
  }
  if (io.signal?.aborted) return EXIT.interrupted;

  if (args.json) {
    io.stdout.write(renderJson(results));
  } else {
    const names = Object.fromEntries(registry.map((s) => [s.id, s.displayName]));
    const styler = createStyler({ isTTY: io.stdout.isTTY === true, env: io.env });
    const width = io.stdout.columns ?? DEFAULT_WIDTH;
    io.stdout.write(renderTable(results, { styler, names, width, showAll: args.all }));
  }
  for (const result of results) {
    if (!isAnswered(result)) {
      io.stderr.write(
        `ti-check: no service could answer for ${result.target.path ?? describeHash(result.target)}\n`,
      );
    }
  }
  if (args.open) await openLinks(results, io);
  return exitCodeFor(results, args.failOn);
}

function describeHash(target: Target): string {
  return target.sha256 ?? target.sha1 ?? target.md5 ?? 'target';
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
