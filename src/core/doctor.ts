/**
 * `ti-check doctor`'s probes: one harmless request per service through the same adapters, HTTP
 * client, deadline and redaction as a run — a lookup of the EICAR test file's hashes, which every
 * vendor knows or can say it does not — each turned into a state and the fix for it.
 */
import type { Policy } from '../model/policy.js';
import type { ServiceResult, Target } from '../model/report.js';
import { envStem, type PreparedService } from './prepare.js';
import { checkService } from './run.js';

/** The EICAR anti-virus test file: harmless, public, and known to most vendors. */
export const EICAR_TARGET: Target = {
  path: null,
  size: 68,
  md5: '44d88612fea8a8f36de82e1278abb02f',
  sha1: '3395856ce81f2b7382dee72602f798b642f14140',
  sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
};

export type ProbeState =
  | 'ok'
  | 'no key'
  | 'rejected key'
  | 'unreachable'
  | 'rate limited'
  | 'unavailable'
  | 'bad answer'
  | 'error';

export interface Probe {
  id: string;
  name: string;
  state: ProbeState;
  /** What happened, secrets masked: `answered in 42 ms`, the error's message. */
  detail: string;
  /** What to do about it; null when all is well. */
  fix: string | null;
}

const STATE_OF_CODE: Record<string, ProbeState> = {
  auth: 'rejected key',
  network: 'unreachable',
  timeout: 'unreachable',
  rate_limited: 'rate limited',
  unavailable: 'unavailable',
  bad_response: 'bad answer',
};

/** Every service asked at once; results in the order given. */
export function probeServices(
  services: readonly PreparedService[],
  options: { policy: Policy; signal?: AbortSignal },
): Promise<Probe[]> {
  return Promise.all(
    services.map(async (service) => {
      if (service.disabledReason) return describe(service, null);
      return describe(service, await checkService(EICAR_TARGET, service, options));
    }),
  );
}

function describe(service: PreparedService, result: ServiceResult | null): Probe {
  const { definition: d } = service;
  const base = { id: d.id, name: d.displayName };
  const keyVar = `${envStem(d.id)}_KEY`;
  const urlVar = `${envStem(d.id)}_URL`;
  const getKey = d.auth.signup ? `get a key at ${d.auth.signup}` : 'get a key';
  if (result === null) {
    return {
      ...base,
      state: 'no key',
      detail: service.disabledReason ?? 'not set up',
      fix: `${getKey}, then set ${keyVar}`,
    };
  }
  if (result.status === 'found' || result.status === 'not_found') {
    const what = result.status === 'found' ? 'knows' : 'does not know';
    return {
      ...base,
      state: 'ok',
      detail: `answered in ${result.durationMs ?? 0} ms (${what} the EICAR test file)`,
      fix: null,
    };
  }
  const code = result.error?.code ?? 'internal';
  const state = STATE_OF_CODE[code] ?? 'error';
  const detail = result.error?.message ?? result.hint ?? result.status;
  const fixes: Record<ProbeState, string | null> = {
    ok: null,
    'no key': null,
    'rejected key': `check ${keyVar} for a typo, a revoked key or a plan without API access; ${getKey.replace('get a key', 'a new key')}`,
    unreachable: `check the network, the proxy (HTTPS_PROXY, NO_PROXY) and the address it was asked at: ${service.baseUrl} (${urlVar} or services.${d.id}.baseUrl)`,
    'rate limited': `its rate limit or quota is used up for now: wait, or raise it with a paid plan (services.${d.id}.rateLimit)`,
    unavailable: 'the vendor is having trouble on its side: try again later',
    'bad answer': `the answer was not what its API gives: is ${urlVar} (services.${d.id}.baseUrl) pointing at its API?`,
    error: 'a bug in ti-check: please report it, with this line',
  };
  return {
    ...base,
    state,
    detail: service.run.secrets.redact(detail),
    fix: service.run.secrets.redact(fixes[state] ?? '') || null,
  };
}
