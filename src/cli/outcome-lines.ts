/** The stderr lines that close a run: what got no answer, which services gave up, why the gate failed. */
import { type CheckOutcome, MAX_FLAGGED_NAMED } from '../core/check.js';
import { githubAnnotation, isGitHubActions } from './annotations.js';
import type { CliIo } from './io.js';

export function writeOutcomeLines(outcome: CheckOutcome, io: CliIo): void {
  const say = (line: string) => io.stderr.write(`ti-check: ${line}\n`);
  if (outcome.targets === 0) {
    // An empty directory, filters that leave nothing, a hash list of comments: say so, or an empty
    // table looks like a run that found nothing to worry about.
    say('nothing was checked: the inputs held no regular file or hash to look up');
  }
  for (const line of outcome.unanswered) say(line);
  if (outcome.unansweredCount > outcome.unanswered.length) {
    say(`… and ${outcome.unansweredCount - outcome.unanswered.length} more targets with no answer`);
  }
  for (const [id, why] of outcome.exhausted) say(`${id}: ${why}`);
  // A rejected key or a service that kept failing: one line naming the fix, however many rows it cost.
  for (const [id, why] of outcome.writtenOff) say(`${id}: ${why}`);
  // --baseline without --fail-on-drift: the gate is the usual one, but a new detection is still news.
  if (outcome.worseCount > 0 && !outcome.gate.failOnDrift) say(`drift: ${worseLine(outcome)}`);
  if (outcome.notInBaseline > 0 && outcome.gate.failOnDrift) {
    const n = outcome.notInBaseline;
    say(`${n} ${n === 1 ? 'target is' : 'targets are'} not in the baseline: gated by --fail-on as usual`);
  }
}

/** `1 of 3 targets worse than the baseline: dist/app.exe (VirusTotal · Microsoft: clean → Trojan…)`. */
function worseLine(outcome: CheckOutcome): string {
  const noun = outcome.targets === 1 ? 'target' : 'targets';
  const more =
    outcome.worseCount > MAX_FLAGGED_NAMED ? `, … and ${outcome.worseCount - MAX_FLAGGED_NAMED} more` : '';
  return `${outcome.worseCount} of ${outcome.targets} ${noun} worse than the baseline: ${outcome.worseShown.join(', ')}${more}`;
}

/** Whatever went to stdout or -o, the job log says why the gate failed (after `--open`'s lines). */
export function writeGateLine(outcome: CheckOutcome, io: CliIo): void {
  const { gate, targets } = outcome;
  const noun = targets === 1 ? 'target' : 'targets';
  if (gate.failOnDrift && outcome.worseCount > 0) {
    const why = worseLine(outcome);
    io.stderr.write(`ti-check: ${why} (--fail-on-drift)\n`);
    if (isGitHubActions(io.env)) io.stderr.write(githubAnnotation('error', 'ti-check', why));
  }
  if (outcome.flaggedCount > 0) {
    const more =
      outcome.flaggedCount > MAX_FLAGGED_NAMED
        ? `, … and ${outcome.flaggedCount - MAX_FLAGGED_NAMED} more`
        : '';
    const level = gate.failOn === 'suspicious' ? 'suspicious or worse' : 'malicious';
    const why = `${outcome.flaggedCount} of ${targets} ${noun} ${level}: ${outcome.flaggedShown.join(', ')}${more}`;
    io.stderr.write(`ti-check: ${why}\n`);
    if (isGitHubActions(io.env)) io.stderr.write(githubAnnotation('error', 'ti-check', why));
  } else if (outcome.unansweredCount > 0 && isGitHubActions(io.env)) {
    // Exit 3 (or 1 with --fail-on-incomplete): the lines above say which; the annotation sums them up.
    const level = gate.failOnIncomplete ? 'error' : 'warning';
    const why = `no service could answer for ${outcome.unansweredCount} of ${targets} ${noun}`;
    io.stderr.write(githubAnnotation(level, 'ti-check', why));
  }
}
