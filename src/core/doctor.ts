/**
 * `ti-check doctor`'s probes: one harmless request per service through the same adapters, HTTP
 * client, deadline and redaction as a run — the vendor's quota endpoint where the adapter has one
 * (`quota`), else a lookup of the EICAR test file's hashes, which every vendor knows or can say it
 * does not — each turned into a state and the fix for it.
 */
import { monotonicMs } from '../clock.js';
import { AuthError, ServiceError } from '../errors.js';
import type { Policy } from '../model/policy.js';
import type { ServiceResult, Target } from '../model/report.js';
import type { QuotaUse } from '../services/types.js';
import { envStem, type PreparedService } from './prepare.js';
import { checkService, withServiceContext } from './run.js';
import { rejectedKeyError } from './service-run.js';

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

/** What a probe got: an answer (with the quota, when asked for it) or an error. */
export type Outcome =
  | { ok: true; ms: number; found?: boolean; quota?: QuotaUse[] }
  | { ok: false; code: string; message: string };

/** Every service asked at once; results in the order given. */
export function probeServices(
  services: readonly PreparedService[],
  options: { policy: Policy; signal?: AbortSignal },
): Promise<Probe[]> {
  return Promise.all(
    services.map(async (service) => {
      if (service.disabledReason) return describe(service, null);
      if (service.definition.quota) return describe(service, await askQuota(service, options.signal));
      return describe(service, fromResult(await checkService(EICAR_TARGET, service, options)));
    }),
  );
}

function fromResult(result: ServiceResult): Outcome {
  if (result.status === 'found' || result.status === 'not_found') {
    return { ok: true, ms: result.durationMs ?? 0, found: result.status === 'found' };
  }
  return {
    ok: false,
    code: result.error?.code ?? 'internal',
    message: result.error?.message ?? result.hint ?? result.status,
  };
}

/** The vendor's own word on the key's quota (`definition.quota`), or why it could not be had. */
export async function askQuota(service: PreparedService, signal?: AbortSignal): Promise<Outcome> {
  const { definition: d } = service;
  const started = monotonicMs();
  try {
    const quota = await withServiceContext(service, (ctx) => d.quota?.(ctx) ?? Promise.resolve([]), signal);
    return { ok: true, ms: Math.round(monotonicMs() - started), quota };
  } catch (error) {
    const shown =
      error instanceof AuthError
        ? rejectedKeyError(d.displayName, `${envStem(d.id)}_KEY`, Boolean(service.apiKey), error)
        : error;
    return {
      ok: false,
      code: shown instanceof ServiceError ? shown.code : 'internal',
      message: shown instanceof Error ? shown.message : String(shown),
    };
  }
}

const PERIOD_WORD = { minute: 'this minute', hour: 'this hour', day: 'today', month: 'this month' } as const;

function quotaText(quota: readonly QuotaUse[]): string {
  return quota
    .map(
      (q) =>
        `${q.used} of ${q.allowed} used ${PERIOD_WORD[q.period]} (${Math.max(0, q.allowed - q.used)} left)`,
    )
    .join(', ');
}

function describe(service: PreparedService, outcome: Outcome | null): Probe {
  const { definition: d } = service;
  const base = { id: d.id, name: d.displayName };
  const keyVar = `${envStem(d.id)}_KEY`;
  const urlVar = `${envStem(d.id)}_URL`;
  const getKey = d.auth.signup ? `get a key at ${d.auth.signup}` : 'get a key';
  const redact = (text: string) => service.run.secrets.redact(text);
  if (outcome === null) {
    return {
      ...base,
      state: 'no key',
      detail: service.disabledReason ?? 'not set up',
      fix: `${getKey}, then set ${keyVar}`,
    };
  }
  if (outcome.ok && outcome.quota) {
    const spent = outcome.quota.filter((q) => q.used >= q.allowed);
    const detail = redact(
      `key accepted in ${outcome.ms} ms · quota: ${quotaText(outcome.quota) || 'not reported'}`,
    );
    if (spent.length === 0) return { ...base, state: 'ok', detail, fix: null };
    const when = spent.map((q) => PERIOD_WORD[q.period]).join(', ');
    return {
      ...base,
      state: 'rate limited',
      detail,
      fix: `the quota is used up ${when}: wait for it to reset, or raise it with a paid plan`,
    };
  }
  if (outcome.ok) {
    const what = outcome.found ? 'knows' : 'does not know';
    return {
      ...base,
      state: 'ok',
      detail: `answered in ${outcome.ms} ms (${what} the EICAR test file)`,
      fix: null,
    };
  }
  const state = STATE_OF_CODE[outcome.code] ?? 'error';
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
  return { ...base, state, detail: redact(outcome.message), fix: redact(fixes[state] ?? '') || null };
}
