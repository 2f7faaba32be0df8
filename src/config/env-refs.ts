/**
 * Keys as environment-variable references: `"apiKey": "${TI_CHECK_VIRUSTOTAL_KEY}"` is read from the
 * environment when ti-check runs, so a config file can name every key without holding one. Only a
 * whole value is a reference; a value that starts with `$` but is not one is refused, since it would
 * otherwise be sent to the vendor as a key.
 */
import { ConfigError } from '../errors.js';
import type { Config } from './schema.js';

const REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** The variable `value` refers to (`${NAME}` → NAME), or undefined for a literal. */
export function envReference(value: string): string | undefined {
  return REFERENCE.exec(value)?.[1];
}

/** `${NAME}`: how a key is written as a reference. */
export function envReferenceTo(name: string): string {
  return `\${${name}}`;
}

export interface ResolvedKeys {
  services: Config['services'];
  /** Ids whose key is written in the file itself (not a reference): doctor checks who may read it. */
  literalKeys: string[];
}

/** Every `apiKey` reference replaced by its variable's value; an unset or empty one means no key. */
export function resolveKeyReferences(
  services: Config['services'],
  env: NodeJS.ProcessEnv,
  where: string,
): ResolvedKeys {
  const resolved: Config['services'] = {};
  const literalKeys: string[] = [];
  for (const [id, settings] of Object.entries(services)) {
    const { apiKey, ...rest } = settings;
    if (apiKey === undefined) {
      resolved[id] = settings;
      continue;
    }
    const name = envReference(apiKey);
    if (name === undefined) {
      if (apiKey.startsWith('$')) {
        // Never echoed: it may be a key after all.
        throw new ConfigError(
          `${where}: services.${id}.apiKey: starts with "$" but is not a reference: write it as \${VARIABLE_NAME}`,
        );
      }
      literalKeys.push(id);
      resolved[id] = settings;
      continue;
    }
    const value = env[name]?.trim();
    resolved[id] = value ? { ...rest, apiKey: value } : rest;
  }
  return { services: resolved, literalKeys };
}
