/** Resolves, for each service of the run, whether it can run and with which key, URL and timeout. */
import type { Config } from '../config/schema.js';
import { serviceNames } from '../config/service-names.js';
import { InputError } from '../errors.js';
import type { ServiceDefinition } from '../services/types.js';
import { ServiceRun } from './service-run.js';

export interface PreparedService {
  definition: ServiceDefinition;
  /** Why the service cannot run (no key, switched off); undefined when it can. */
  disabledReason?: string;
  apiKey: string | undefined;
  baseUrl: string;
  timeoutMs: number;
  /** Secrets, adapter state and health for this run. */
  run: ServiceRun;
}

/** A service and where it is asked: the key of its cached answers, shared windows and day counts. */
export function serviceAt(service: PreparedService): { service: string; baseUrl: string } {
  return { service: service.definition.id, baseUrl: service.baseUrl };
}

export interface PrepareOptions {
  /** `--services a,b`: only these, in this order. */
  only?: readonly string[];
  /** `--timeout`, seconds: wins over the config. */
  timeoutSeconds?: number;
}

export function envStem(id: string): string {
  return `TI_CHECK_${id.toUpperCase()}`;
}

export function prepareServices(
  registry: readonly ServiceDefinition[],
  config: Config,
  options: PrepareOptions = {},
): PreparedService[] {
  const selected = options.only ? selectServices(registry, options.only) : registry;
  return selected.map((definition) => {
    const settings = config.services[definition.id] ?? {};
    const apiKey = settings.apiKey;
    const timeoutSeconds = options.timeoutSeconds ?? settings.timeout ?? config.timeout;
    let disabledReason: string | undefined;
    if (settings.enabled === false && !options.only) {
      disabledReason = `switched off in config (services.${definition.id}.enabled)`;
    } else if (definition.auth.key === 'required' && !apiKey) {
      disabledReason = `needs an API key: set ${envStem(definition.id)}_KEY`;
    }
    return {
      definition,
      disabledReason,
      apiKey,
      baseUrl: settings.baseUrl ?? definition.baseUrl,
      timeoutMs: Math.round(timeoutSeconds * 1000),
      run: new ServiceRun(apiKey),
    };
  });
}

function selectServices(registry: readonly ServiceDefinition[], ids: readonly string[]): ServiceDefinition[] {
  // `--services ,` or `--services ""`: asking nobody would only ever end "no answer".
  if (ids.length === 0) {
    throw new InputError(`--services names no service (valid: ${registry.map((s) => s.id).join(', ')})`);
  }
  const byId = new Map(registry.map((s) => [s.id, s]));
  const names = serviceNames(registry);
  // `--services vt,VirusTotal` asks VirusTotal once.
  return [...new Set(ids.map((name) => names.require(name)))].map((id) => byId.get(id) as ServiceDefinition);
}
