/**
 * The fixed run every format's golden test renders: five files covering each verdict, an error
 * row, a disabled and an unsupported service, an allow-listed false positive, and file names with
 * commas, quotes and a line break. Durations are fixed so goldens are stable.
 */
import type { Policy } from '../../src/model/policy.js';
import type {
  HashRef,
  ReportTargetResult,
  ServiceResult,
  Target,
  TargetResult,
} from '../../src/model/report.js';
import { parseAllowList } from '../../src/normalize/allow-list.js';
import { judgeTarget } from '../../src/normalize/policy.js';
import { toServiceResult } from '../../src/normalize/result.js';
import { overallVerdict } from '../../src/normalize/verdict.js';
import type { Finding, ServiceDefinition } from '../../src/services/types.js';
import { engines } from './fake-services.js';

export const FIXTURE_POLICY: Policy = { minMaliciousEngines: 3, trustedEngines: ['TrustedAV'] };

export const NAMES: Record<string, string> = {
  engines: 'Engines',
  bazaar: 'Bazaar',
  goodlist: 'Good List',
  sandbox: 'Sandbox',
  keyed: 'Keyed',
};

type Def = Pick<ServiceDefinition, 'id' | 'kind' | 'link'>;
const def = (id: string, kind: Def['kind']): Def => ({
  id,
  kind,
  link: (hash: HashRef) => `https://${id}.example.test/file/${hash.value}?q=a&b=1`,
});
const ENGINES = def('engines', 'multi-engine');
const BAZAAR = def('bazaar', 'repository');
const GOODLIST = def('goodlist', 'known-good');

const hashes = (n: string) => ({
  md5: n.repeat(32).slice(0, 32),
  sha1: n.repeat(40).slice(0, 40),
  sha256: n.repeat(64).slice(0, 64),
});

function found(d: Def, target: Target, finding: Finding | null): ServiceResult {
  const hash: HashRef = { type: 'sha256', value: target.sha256 ?? target.md5 ?? '' };
  return toServiceResult(d, hash, finding, FIXTURE_POLICY, 120);
}

function gray(id: string, status: 'disabled' | 'unsupported', hint: string): ServiceResult {
  return {
    service: id,
    status,
    verdict: null,
    stats: null,
    entries: [],
    link: null,
    error: null,
    summary: null,
    hint,
    durationMs: null,
  };
}

function failed(id: string, code: string, message: string): ServiceResult {
  return {
    ...gray(id, 'disabled', ''),
    status: 'error',
    hint: null,
    error: { code, message },
    durationMs: 20000,
  };
}

function result(target: Target, services: ServiceResult[]): TargetResult {
  return { target, verdict: overallVerdict(services), services };
}

const keyedOff = gray('keyed', 'disabled', 'needs an API key: set TI_CHECK_KEYED_KEY');

const malicious: Target = { path: 'dist/setup.exe', size: 73_802, ...hashes('a') };
const suspicious: Target = { path: 'dist/lib, "helper".dll', size: 1024, ...hashes('b') };
const clean: Target = { path: 'dist/two\nlines & <b>.txt', size: 12, ...hashes('c') };
const unanswered: Target = { path: null, size: null, md5: null, sha1: null, sha256: hashes('d').sha256 };
const allowed: Target = { path: null, size: null, md5: hashes('e').md5, sha1: null, sha256: null };

export const RAW_RESULTS: TargetResult[] = [
  result(malicious, [
    found(ENGINES, malicious, { entries: engines(5, 1, 10) }),
    found(BAZAAR, malicious, {
      entries: [{ name: 'Emotet', category: 'malicious', detail: 'tags: exe, emotet' }],
      verdict: 'malicious',
      summary: 'listed: Emotet',
    }),
    found(GOODLIST, malicious, null),
    keyedOff,
  ]),
  result(suspicious, [
    found(ENGINES, suspicious, { entries: engines(2, 3, 10) }),
    found(BAZAAR, suspicious, null),
    found(GOODLIST, suspicious, null),
    keyedOff,
  ]),
  result(clean, [
    found(ENGINES, clean, { entries: engines(0, 4, 10) }),
    found(BAZAAR, clean, null),
    found(GOODLIST, clean, { entries: [], verdict: 'clean', summary: 'known good: NSRL' }),
    keyedOff,
  ]),
  result(unanswered, [
    failed('engines', 'rate_limited', 'HTTP 429 Too Many Requests'),
    failed('bazaar', 'timeout', 'no answer before the timeout'),
    gray('goodlist', 'unsupported', 'accepts sha1, md5 only'),
    keyedOff,
  ]),
  result(allowed, [
    found(ENGINES, allowed, {
      entries: [...engines(0, 2, 10), { name: 'TrustedAV', category: 'malicious', detail: 'FP.Installer' }],
    }),
    found(BAZAAR, allowed, null),
    found(GOODLIST, allowed, null),
    keyedOff,
  ]),
];

export const ALLOW_LIST = parseAllowList(
  `# known false positives\n${hashes('e').md5}  our signed installer, FP in TrustedAV (ticket SEC-42)\n`,
  'allow.txt',
);

export function fixtureReport(): ReportTargetResult[] {
  return RAW_RESULTS.map((r) => judgeTarget(r, { policy: FIXTURE_POLICY, allowList: ALLOW_LIST }));
}
