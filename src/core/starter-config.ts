/**
 * The commented starter config `ti-check init` writes: every service of the registry with what it
 * is and where to get a key, each key as a reference to its environment variable — never a key.
 */

import { defaultConfig } from '../config/defaults.js';
import { envReferenceTo } from '../config/env-refs.js';
import type { ServiceDefinition } from '../services/types.js';
import { envStem } from './prepare.js';

const KEY_NOTE = {
  required: 'key required',
  optional: 'key optional (raises its limits)',
  none: 'no key',
} as const;

export function starterConfig(registry: readonly ServiceDefinition[]): string {
  const defaults = defaultConfig();
  const services = registry.map((d, index) => {
    const comma = index < registry.length - 1 ? ',' : '';
    const where = d.auth.key === 'none' ? '' : `: ${d.auth.signup ?? d.docs}`;
    const settings: Record<string, unknown> = { enabled: true };
    if (d.auth.key !== 'none') settings.apiKey = envReferenceTo(`${envStem(d.id)}_KEY`);
    return [
      `    // ${d.displayName} (${d.kind}) · ${KEY_NOTE[d.auth.key]}${where}`,
      `    ${JSON.stringify(d.id)}: ${inline(settings)}${comma}`,
    ].join('\n');
  });
  return `${[
    '// ti-check configuration, written by `ti-check init`: JSON with // comments.',
    `// Keys are references to environment variables ("${envReferenceTo('TI_CHECK_VIRUSTOTAL_KEY')}"), read each time`,
    '// ti-check runs, so this file holds no secret: export the variables of the services you use',
    '// (shell profile, secret manager, CI secrets), then run `ti-check doctor`. A service whose',
    '// variable is unset shows as disabled; "enabled": false switches one off. TI_CHECK_<ID>_URL',
    '// points a service at another server. Every setting: README.md, "Configuration".',
    '{',
    '  // Seconds each service may take, all its requests included.',
    `  "timeout": ${JSON.stringify(defaults.timeout)},`,
    '  // Engines that must say malicious for a multi-engine service to say so (README: "Verdict policy").',
    `  "policy": ${inline(defaults.policy)},`,
    '  "services": {',
    services.join('\n'),
    '  }',
    '}',
  ].join('\n')}\n`;
}

/** `{ "a": 1, "b": "x" }` on one line. */
function inline(value: Record<string, unknown>): string {
  const parts = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${JSON.stringify(item)}`);
  return `{ ${parts.join(', ')} }`;
}
