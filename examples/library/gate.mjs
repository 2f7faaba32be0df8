// A release gate as a script: the pipeline `ti-check` runs, as data. Usage: node gate.mjs dist/*
import { check } from 'ti-check';

const { report, outcome } = await check({
  files: process.argv.slice(2),
  policy: { failOn: 'suspicious' },
  // At most a minute: what is complete by then still comes back (outcome.interrupted).
  signal: AbortSignal.timeout(60_000),
  // Each file as soon as every service has answered for it.
  onTarget: (result) => console.log(`${result.verdict.padEnd(10)} ${result.target.path}`),
  onWarning: (message) => console.error(`warning: ${message}`),
});
const flagged = report.results.filter((r) => r.verdict === 'malicious' || r.verdict === 'suspicious');
console.log(`${report.results.length} checked, ${flagged.length} flagged`);
// The CLI's exit codes: 1 flagged, 3 some file got no answer.
process.exitCode = outcome.flagged ? 1 : outcome.incomplete ? 3 : 0;
