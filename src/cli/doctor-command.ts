/**
 * `ti-check doctor [--services a,b]`: the config in effect and who may read it, then one harmless
 * request per configured service (src/core/doctor.ts), each OK or what is wrong and how to fix it.
 * Exit 0 only when every service asked answered and no config file is open to others; 1 otherwise.
 * Never prints a key: it names variables and files, and every vendor message is redacted.
 */
import { statSync } from 'node:fs';
import { monotonicMs } from '../clock.js';
import { cacheSettingsOf } from '../config/defaults.js';
import type { Config } from '../config/schema.js';
import { type Probe, probeServices } from '../core/doctor.js';
import { redactRedisUrl } from '../core/fleet/index.js';
import { openSharedCache, sharedCacheUrl } from '../core/open-cache.js';
import { envStem, prepareServices } from '../core/prepare.js';
import { terminalSafe } from '../render/terminal-text.js';
import type { ServiceDefinition } from '../services/types.js';
import { servicesListOption } from './check-options.js';
import { loadCliConfig } from './config.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

export const DOCTOR_OPTIONS = {
  services: servicesListOption(
    'check only these services (comma-separated ids or aliases); a named one without its key fails',
  ),
  timeout: { type: 'number', requiresArg: true, describe: 'seconds each service may take (default 20)' },
} as const;

export async function runDoctor(
  args: { services?: string[]; timeout?: number; config?: string },
  io: CliIo,
  registry: readonly ServiceDefinition[],
): Promise<number> {
  const { config, filepath, literalKeys } = await loadCliConfig(args.config, io, registry);
  const lines: string[] = [];
  let problems = 0;
  lines.push(
    `config    ${filepath ? `${filepath}${modeNote(filepath)}` : 'none found: defaults (ti-check init writes one)'}`,
  );
  const fromEnv = registry
    .flatMap((d) => [`${envStem(d.id)}_KEY`, `${envStem(d.id)}_URL`])
    .filter((name) => io.env[name]?.trim());
  if (fromEnv.length > 0) lines.push(`env       ${fromEnv.join(', ')}`);
  if (filepath) {
    const warning = permissionWarning(filepath, literalKeys);
    if (warning) {
      problems++;
      lines.push(`warning   ${warning}`);
    }
  }
  const shared = await sharedCacheLine(config, io);
  if (shared) {
    if (shared.problem) problems++;
    lines.push(shared.line);
  }
  const prepared = prepareServices(registry, config, { only: args.services, timeoutSeconds: args.timeout });
  const switchedOff = prepared.filter(
    (s) => s.disabledReason && config.services[s.definition.id]?.enabled === false && !args.services,
  );
  const notSetUp = prepared.filter((s) => s.disabledReason && !switchedOff.includes(s) && !args.services);
  const asked = prepared.filter((s) => !switchedOff.includes(s) && !notSetUp.includes(s));
  lines.push(
    '',
    `asking ${asked.length} service${asked.length === 1 ? '' : 's'} once each (its quota endpoint if it has one, else a lookup of the EICAR test file's hashes)`,
  );
  // What is known so far goes out now: a vendor that hangs until its timeout holds back only its own line.
  io.stdout.write(`${lines.map(terminalSafe).join('\n')}\n`);
  lines.length = 0;
  const probes = await probeServices(asked, { policy: config.policy, signal: io.signal });
  const width = Math.max(0, ...probes.map((p) => p.name.length));
  for (const probe of probes) lines.push(...probeLines(probe, width));
  if (notSetUp.length > 0) {
    lines.push('', `not set up (no key): ${notSetUp.map((s) => s.definition.id).join(', ')}`);
    lines.push('  ti-check services lists where to get each key; export it as TI_CHECK_<ID>_KEY');
  }
  if (switchedOff.length > 0)
    lines.push(`switched off in config: ${switchedOff.map((s) => s.definition.id).join(', ')}`);
  const failed = probes.filter((p) => p.state !== 'ok').length;
  problems += failed;
  lines.push(
    '',
    failed === 0
      ? `${probes.length} of ${probes.length} service${probes.length === 1 ? '' : 's'} OK`
      : `${failed} of ${probes.length} service${probes.length === 1 ? '' : 's'} failed`,
  );
  io.stdout.write(`${lines.map(terminalSafe).join('\n')}\n`);
  return problems === 0 ? EXIT.ok : EXIT.flagged;
}

/** A fleet's Redis, when one is set: reachable (and how fast), or why not — a problem, like a dead key. */
async function sharedCacheLine(
  config: Config,
  io: CliIo,
): Promise<{ line: string; problem: boolean } | undefined> {
  const settings = cacheSettingsOf(config);
  let url: string | undefined;
  try {
    url = sharedCacheUrl({ settings, env: io.env });
  } catch (error) {
    return { line: `cache     ${(error as Error).message}`, problem: true };
  }
  if (!url) return undefined;
  const started = monotonicMs();
  try {
    const fleet = await openSharedCache(url, settings, '');
    await fleet.close();
    const ms = Math.round(monotonicMs() - started);
    return {
      line: `cache     ${redactRedisUrl(url)}: shared, reachable (connected in ${ms} ms)`,
      problem: false,
    };
  } catch (error) {
    return {
      line: `cache     ${(error as Error).message}; runs go on with the local cache (or stop, with --cache-required)`,
      problem: true,
    };
  }
}

function probeLines(probe: Probe, width: number): string[] {
  const head = `  ${probe.state.toUpperCase().padEnd(13)} ${probe.name.padEnd(width)}  ${probe.detail}`;
  return probe.fix ? [head, `  ${''.padEnd(13)} ${''.padEnd(width)}  fix: ${probe.fix}`] : [head];
}

function modeNote(file: string): string {
  if (process.platform === 'win32') return '';
  try {
    return ` (mode ${(statSync(file).mode & 0o777).toString(8).padStart(4, '0')})`;
  } catch {
    return '';
  }
}

/**
 * As ssh does for a private key: a config that holds keys must not be readable by group or others;
 * and none may be writable by them (whoever can edit it can send the keys to a server of theirs).
 */
export function permissionWarning(file: string, literalKeys: readonly string[]): string | undefined {
  if (process.platform === 'win32') return undefined;
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
  const octal = mode.toString(8).padStart(4, '0');
  if (literalKeys.length > 0 && (mode & 0o044) !== 0) {
    return `${file} holds API keys (${literalKeys.join(', ')}) and is readable by others (mode ${octal}): chmod 600 ${file}, or write the keys as \${TI_CHECK_<ID>_KEY} references`;
  }
  if ((mode & 0o022) !== 0) {
    return `${file} is writable by others (mode ${octal}): chmod go-w ${file}`;
  }
  return undefined;
}
