// The library API as TypeScript sees it (types from the package's `exports`): checked by
// test/e2e/library.e2e.test.ts with `tsc -p examples/library`.
import {
  type CatalogueRow,
  type CheckOptions,
  type CheckResult,
  check,
  InputError,
  type OverallVerdict,
  type ReportTargetResult,
  services,
} from 'ti-check';

const rows: CatalogueRow[] = await services({ plugins: false });
const ready: string[] = rows.filter((row) => row.ready).map((row) => row.id);

const options: CheckOptions = {
  hashes: ['44d88612fea8a8f36de82e1278abb02f'],
  services: ready,
  policy: { failOn: 'suspicious', minMaliciousEngines: 2 },
  cache: 'refresh',
  signal: AbortSignal.timeout(30_000),
  onTarget: (result: ReportTargetResult, index: number) => {
    const verdict: OverallVerdict = result.verdict;
    console.log(index, verdict);
  },
};
try {
  const { report, outcome }: CheckResult = await check(options);
  const version: 1 = report.schemaVersion;
  console.log(version, outcome.flagged, outcome.interrupted);
} catch (error) {
  if (error instanceof InputError) console.error(error.message);
}

// @ts-expect-error: not an option
await check({ hashes: [], colour: true });
// @ts-expect-error: not a cache mode
await check({ hashes: [], cache: 'sometimes' });
