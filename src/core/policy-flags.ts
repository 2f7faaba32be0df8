/** The verdict policy a run uses, and the allow-list it points at. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { serviceNames } from '../config/service-names.js';
import { InputError } from '../errors.js';
import type { Policy } from '../model/policy.js';
import { type AllowList, parseAllowList } from '../normalize/allow-list.js';
import type { ServiceDefinition } from '../services/types.js';

/** Flags win over the config's `policy`, which wins over the defaults; ignored services must exist. */
export function resolvePolicy(
  fromConfig: Policy,
  flags: Partial<Policy>,
  registry: readonly ServiceDefinition[],
): Policy {
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
export async function readAllowList(
  allow: string | undefined,
  policy: Policy,
  configPath: string | null,
  cwd: string,
): Promise<AllowList | undefined> {
  const path = allow
    ? resolve(cwd, allow)
    : policy.allowList
      ? resolve(configPath ? dirname(configPath) : cwd, policy.allowList)
      : undefined;
  if (!path) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = cause instanceof Error && 'code' in cause ? String(cause.code) : String(cause);
    throw new InputError(`cannot read allow-list ${allow ?? policy.allowList}: ${code}`, { cause });
  }
  return parseAllowList(text, allow ?? policy.allowList ?? path);
}
