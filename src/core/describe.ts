/** One-line summaries of a judged target, for the gate's line and the "no answer" lines. */
import type { ReportTargetResult } from '../model/report.js';
import { driftText, isFlagged, targetName } from '../render/common.js';
import { elideMiddle } from '../render/terminal-text.js';

/** Services named per flagged target. */
const MAX_SERVICES_NAMED = 3;

/** `dist/app.exe (VirusTotal 53/62, MalwareBazaar AgentTesla)`: the target and who flagged it. */
export function describeFlagged(result: ReportTargetResult, names: Readonly<Record<string, string>>): string {
  const by = result.services
    .filter((s) => s.status === 'found' && (s.verdict === 'malicious' || s.verdict === 'suspicious'))
    .map((s) => {
      const name = names[s.service] ?? s.service;
      if (s.stats) return `${name} ${s.stats.malicious}/${s.stats.total}`;
      // The first part of the detail is the family or signature ("AgentTesla · exe · tags: …").
      const label = s.entries.find((e) => e.category === s.verdict)?.detail?.split(' · ')[0];
      return `${name} ${label ? elideMiddle(label, 40) : s.verdict}`;
    });
  const more = by.length > MAX_SERVICES_NAMED ? `, +${by.length - MAX_SERVICES_NAMED} more` : '';
  return `${targetName(result.target)} (${by.slice(0, MAX_SERVICES_NAMED).join(', ')}${more})`;
}

/** `dist/app.exe (VirusTotal · Microsoft: clean → Trojan:Win32/Wacatac, +1 more)`: what got worse. */
export function describeWorse(result: ReportTargetResult, names: Readonly<Record<string, string>>): string {
  const worse = (result.drift?.changes ?? []).filter((c) => c.worse);
  const first = worse[0];
  const more = worse.length > 1 ? `, +${worse.length - 1} more` : '';
  const what = first
    ? elideMiddle(driftText(first, names), 80)
    : `was ${result.drift?.verdictBefore}, now ${result.verdict}`;
  return `${targetName(result.target)} (${what}${more})`;
}

export function describeUnanswered(
  { target, error, allowList }: ReportTargetResult,
  failClosed: boolean,
): string {
  const name = targetName(target);
  const note = allowList ? ' (allow-listed)' : failClosed ? ' (--fail-on-incomplete: exit 1)' : '';
  return error
    ? `${name}: ${error.message}, not checked${note}`
    : `no service could answer for ${name}${note}`;
}

/** What --only-flagged keeps: flagged targets, those that could not be read, and those worse than the baseline. */
export function isWorthReporting(result: ReportTargetResult): boolean {
  return isFlagged(result) || result.error !== undefined || result.drift?.worse === true;
}

/** The vendor pages of the services that know the target (what `--open` opens). */
export function linksOf(result: ReportTargetResult): string[] {
  return result.services.filter((s) => s.status === 'found' && s.link).map((s) => s.link as string);
}
