/**
 * SARIF 2.1.0 for code-scanning dashboards (https://docs.oasis-open.org/sarif/sarif/v2.1.0/):
 * one result per flagged file (malicious → error, suspicious → warning), the per-service evidence
 * in the message and in `properties`, the file as the artifact location with its hashes.
 * Allow-listed files the services flag stay in, carrying an external suppression with the comment.
 * Hash-only targets have no file: their location is a logical one named after the hash.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Artifact, Location, Log, ReportingDescriptor, Result } from 'sarif';
import type { Target } from '../model/report.js';
import { VERSION } from '../version.js';
import {
  detections,
  driftText,
  evidence,
  isFlagged,
  isSuppressed,
  type Judged,
  type ServiceNames,
  targetName,
} from './common.js';
import type { RenderContext } from './context.js';

const RULES: ReportingDescriptor[] = [
  {
    id: 'ti-check/malicious',
    name: 'MaliciousFile',
    shortDescription: { text: 'Threat-intelligence services say this file is malicious' },
    fullDescription: {
      text: 'The verdict policy rated the file malicious from what threat-intelligence services know about its hash.',
    },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['security', 'malware'], 'security-severity': '9.0' },
  },
  {
    id: 'ti-check/suspicious',
    name: 'SuspiciousFile',
    shortDescription: { text: 'Threat-intelligence services say this file is suspicious' },
    fullDescription: {
      text: 'Some threat-intelligence services flag the file, below the bar the verdict policy sets for malicious.',
    },
    defaultConfiguration: { level: 'warning' },
    properties: { tags: ['security', 'malware'], 'security-severity': '5.0' },
  },
];

/** With --baseline, a third rule: one result per detection the baseline did not have. */
const DRIFT_RULE: ReportingDescriptor = {
  id: 'ti-check/new-detection',
  name: 'NewDetection',
  shortDescription: { text: 'A threat-intelligence service or engine flags this file since the baseline' },
  fullDescription: {
    text: 'Compared with an earlier report (--baseline), a service or engine now flags the file, or flags it more severely.',
  },
  defaultConfiguration: { level: 'warning' },
  properties: { tags: ['security', 'malware', 'drift'], 'security-severity': '7.0' },
};

export function renderSarif(results: readonly Judged[], context: Pick<RenderContext, 'names'>): string {
  const reported = results.filter((r) => isFlagged(r) || isSuppressed(r));
  const artifacts: Artifact[] = [];
  const indexes = new Map<Judged, number>();
  const artifactIndexOf = (result: Judged): number | undefined => {
    if (result.target.path === null) return undefined;
    const known = indexes.get(result);
    if (known !== undefined) return known;
    indexes.set(result, artifacts.length);
    artifacts.push(artifact(result.target));
    return artifacts.length - 1;
  };
  const sarifResults = reported.map((result) => toResult(result, artifactIndexOf(result), context.names));
  const drifted = results.filter((r) => r.drift?.changes.some((c) => c.worse));
  for (const result of drifted)
    sarifResults.push(...driftResults(result, artifactIndexOf(result), context.names));
  const rules = drifted.length > 0 ? [...RULES, DRIFT_RULE] : RULES;
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ti-check',
            version: VERSION,
            semanticVersion: VERSION,
            rules,
          },
        },
        ...(artifacts.length > 0 ? { artifacts } : {}),
        results: sarifResults,
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function toResult(result: Judged, artifactIndex: number | undefined, names: ServiceNames): Result {
  const verdict = isSuppressed(result) ? (result.allowList?.verdict ?? result.verdict) : result.verdict;
  const ruleIndex = verdict === 'malicious' ? 0 : 1;
  const rule = RULES[ruleIndex] as ReportingDescriptor;
  const found = result.services.filter((s) => s.status === 'found');
  const lines = found.map((s) => `- ${evidence(s, names)}`);
  const name = targetName(result.target);
  const text = [`${name}: ${verdict} (${result.reason.message}).`, ...lines].join('\n');
  const hash = result.target.sha256 ?? result.target.sha1 ?? result.target.md5 ?? name;
  const sarif: Result = {
    ruleId: rule.id,
    ruleIndex,
    level: verdict === 'malicious' ? 'error' : 'warning',
    kind: 'fail',
    message: { text },
    locations: [location(result.target, artifactIndex)],
    partialFingerprints: { 'tiCheckFileHash/v1': hash },
    properties: {
      verdict: result.verdict,
      reason: result.reason,
      allowList: result.allowList,
      hashes: { md5: result.target.md5, sha1: result.target.sha1, sha256: result.target.sha256 },
      services: found.map((s) => ({
        service: s.service,
        verdict: s.verdict,
        reason: s.reason,
        summary: s.summary,
        stats: s.stats,
        detections: detections(s.entries),
        link: s.link,
      })),
    },
  };
  if (result.allowList) {
    sarif.suppressions = [{ kind: 'external', status: 'accepted', justification: result.allowList.comment }];
  }
  return sarif;
}

/** One result per change that made the file worse: `VirusTotal · Microsoft: clean → Trojan:Win32/Wacatac`. */
function driftResults(result: Judged, artifactIndex: number | undefined, names: ServiceNames): Result[] {
  const name = targetName(result.target);
  const hash = result.target.sha256 ?? result.target.sha1 ?? result.target.md5 ?? name;
  return (result.drift?.changes ?? [])
    .filter((c) => c.worse)
    .map((change) => {
      const level = change.after?.category === 'malicious' ? 'error' : 'warning';
      const said = change.after?.detail ?? change.after?.category ?? '';
      const sarif: Result = {
        ruleId: DRIFT_RULE.id,
        ruleIndex: RULES.length,
        level,
        kind: 'fail',
        message: { text: `${name}: new since the baseline: ${driftText(change, names)}.` },
        locations: [location(result.target, artifactIndex)],
        partialFingerprints: {
          'tiCheckFileHash/v1': hash,
          'tiCheckDetection/v1': `${change.service}/${change.engine ?? ''}/${said}`,
        },
        properties: {
          service: change.service,
          engine: change.engine,
          change: change.change,
          before: change.before,
          after: change.after,
          verdict: result.verdict,
          verdictBefore: result.drift?.verdictBefore ?? null,
        },
      };
      if (result.allowList) {
        sarif.suppressions = [
          { kind: 'external', status: 'accepted', justification: result.allowList.comment },
        ];
      }
      return sarif;
    });
}

function artifact(target: Target): Artifact {
  const hashes: Record<string, string> = {};
  if (target.md5) hashes.md5 = target.md5;
  if (target.sha1) hashes['sha-1'] = target.sha1;
  if (target.sha256) hashes['sha-256'] = target.sha256;
  return {
    location: artifactLocation(target.path ?? ''),
    ...(target.size !== null ? { length: target.size } : {}),
    hashes,
  };
}

function location(target: Target, artifactIndex: number | undefined): Location {
  if (target.path === null || artifactIndex === undefined) {
    const hash = target.sha256 ?? target.sha1 ?? target.md5 ?? '';
    return { logicalLocations: [{ name: hash, fullyQualifiedName: `hash:${hash}`, kind: 'object' }] };
  }
  return {
    physicalLocation: { artifactLocation: { ...artifactLocation(target.path), index: artifactIndex } },
  };
}

/** A relative path stays relative to the checkout (%SRCROOT%); an absolute one becomes a file: URI. */
function artifactLocation(path: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  const uri = path
    .split(/[\\/]/)
    .filter((segment) => segment !== '.' && segment !== '')
    .map(encodeURIComponent)
    .join('/');
  return { uri, uriBaseId: '%SRCROOT%' };
}
