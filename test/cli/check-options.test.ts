import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { checkArgsFrom, checkOptions, policyFlagsFrom } from '../../src/cli/check-options.js';
import { policySchema } from '../../src/model/policy.js';

function parse(argv: string[]) {
  const parsed = yargs().options(checkOptions([])).strict().parseSync(argv);
  return checkArgsFrom({ ...parsed, files: [] });
}

describe('the option table', () => {
  it('gives every policy setting but the allow-list path one flag (--allow resolves against the working directory)', () => {
    const overridden = Object.values(checkOptions([]))
      .filter((option) => 'policy' in option)
      .map((option) => (option as { policy: string }).policy);
    const settings = Object.keys(policySchema.shape).filter((key) => key !== 'allowList');
    expect([...overridden].sort()).toEqual([...settings].sort());
  });

  it('maps the flags a user gave onto the policy, under the policy’s names, and leaves the others undefined', () => {
    const flags = policyFlagsFrom(
      parse(['--fail-on', 'suspicious', '--min-detection-ratio', '0.25', '--trusted-engines', 'A,B']),
    );
    expect(flags).toEqual({
      failOn: 'suspicious',
      failOnIncomplete: undefined,
      minMaliciousEngines: undefined,
      minDetectionRatio: 0.25,
      trustedEngines: ['A', 'B'],
      ignoreServices: undefined,
    });
  });

  it('turns --json and --ndjson into the format', () => {
    expect(parse(['--json']).format).toBe('json');
    expect(parse(['--ndjson']).format).toBe('ndjson');
    expect(parse(['--format', 'csv']).format).toBe('csv');
  });
});
