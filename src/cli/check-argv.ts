/** What the check command refuses that yargs' option types cannot say: bounds and contradicting flags. */
import { isTimeoutSeconds, MAX_TIMEOUT_SECONDS } from '../config/rules.js';
import { UsageError } from './usage-errors.js';

/** The options the checks read, as yargs (or src/cli/plain-check.ts) parsed them. */
export interface CheckedOptions {
  timeout?: number;
  'min-malicious-engines'?: number;
  'min-detection-ratio'?: number;
  json?: boolean;
  ndjson?: boolean;
  format?: string;
  offline?: boolean;
  refresh?: boolean;
  cache?: string | false;
}

/** The checks yargs' option types cannot say. */
export function checkArgv(argv: CheckedOptions): true {
  // The same bounds as `timeout` in a config file (and far below Node's timer limit).
  if (argv.timeout !== undefined && !isTimeoutSeconds(argv.timeout))
    throw new UsageError(`--timeout: expected seconds above 0, at most ${MAX_TIMEOUT_SECONDS}`);
  refuseConflicts(argv);
  const engines = argv['min-malicious-engines'];
  if (engines !== undefined && !(Number.isInteger(engines) && engines >= 1))
    throw new UsageError('--min-malicious-engines: expected a whole number from 1');
  const ratio = argv['min-detection-ratio'];
  if (ratio !== undefined && !(ratio > 0 && ratio <= 1))
    throw new UsageError('--min-detection-ratio: expected a number above 0, at most 1');
  return true;
}

/** Flags that contradict each other are refused, never resolved in silence. */
function refuseConflicts(argv: {
  json?: boolean;
  ndjson?: boolean;
  format?: string;
  offline?: boolean;
  refresh?: boolean;
  cache?: string | false;
}): void {
  const pairs: [boolean, string][] = [
    [argv.json === true && argv.ndjson === true, '--json and --ndjson'],
    [
      argv.json === true && argv.format !== undefined && argv.format !== 'json',
      `--json and --format ${argv.format}`,
    ],
    [
      argv.ndjson === true && argv.format !== undefined && argv.format !== 'ndjson',
      `--ndjson and --format ${argv.format}`,
    ],
    [
      argv.offline === true && argv.refresh === true,
      '--offline (the cache only) and --refresh (never the cache)',
    ],
    [argv.offline === true && argv.cache === false, '--offline (the cache only) and --no-cache'],
  ];
  const conflict = pairs.find(([clash]) => clash);
  if (conflict) throw new UsageError(`${conflict[1]} contradict each other: choose one`);
}
