/**
 * The policy stage between lookup and render: decides each file's verdict from its service rows
 * (ignored services left out, the allow-list applied) and records the rule behind every verdict.
 * Pure; runs once per target, so a streaming run can call it as each target finishes.
 */
import type { Policy } from '../model/policy.js';
import type {
  ReportTargetResult,
  ServiceReason,
  ServiceResult,
  TargetReason,
  TargetResult,
} from '../model/report.js';
import { type AllowList, allowListComment } from './allow-list.js';
import { overallVerdict } from './verdict.js';

export interface Judge {
  policy: Partial<Policy>;
  allowList?: AllowList;
}

export function judgeTarget(result: TargetResult, { policy, allowList }: Judge): ReportTargetResult {
  if (result.error) {
    // Not checked at all (an unreadable file): the reason and the error say why, in every format.
    return {
      target: result.target,
      verdict: 'unknown',
      reason: { rule: 'no-answer', message: `not checked: ${result.error.message}` },
      allowList: null,
      services: [],
      error: result.error,
    };
  }
  // A short list, usually empty: no Set per target.
  const ignored = (id: string) => policy.ignoreServices?.includes(id) === true;
  const services = result.services.map((s) => judgeService(s, ignored(s.service)));
  const counted = services.filter((s) => !ignored(s.service));
  const verdict = overallVerdict(counted);
  const reason = targetReason(verdict, counted, services);
  const comment = allowList ? allowListComment(allowList, result.target) : undefined;
  if (comment !== undefined) {
    return {
      target: result.target,
      verdict: 'clean',
      reason: { rule: 'allow-list', message: `allow-listed: ${comment} (services said ${verdict})` },
      allowList: { comment, verdict },
      services,
    };
  }
  return { target: result.target, verdict, reason, allowList: null, services };
}

function judgeService(row: ServiceResult, ignored: boolean): ReportTargetResult['services'][number] {
  const { service, status, verdict, reason: given, ...rest } = row;
  let reason: ServiceReason | null = given ?? null;
  if (status === 'found' && verdict && !reason) {
    reason = { rule: 'vendor-verdict', message: `${service}'s own verdict: ${verdict}` };
  }
  if (ignored && reason) {
    reason = {
      rule: 'ignored-service',
      message: `policy.ignoreServices: its ${verdict} does not count (${reason.message})`,
    };
  }
  return { service, status, verdict, reason, ...rest };
}

function targetReason(
  verdict: ReportTargetResult['verdict'],
  counted: readonly ServiceResult[],
  all: readonly ServiceResult[],
): TargetReason {
  if (verdict === 'unknown') {
    const answered = all.some((s) => s.status === 'found' || s.status === 'not_found');
    return answered
      ? { rule: 'not-found', message: 'no service that counts knows this hash' }
      : { rule: 'no-answer', message: 'no service could answer (all failed, disabled or unsupported)' };
  }
  const by = counted.filter((s) => s.status === 'found' && s.verdict === verdict).map((s) => s.service);
  return { rule: 'worst-service', message: `${verdict} from ${by.join(', ')}` };
}
