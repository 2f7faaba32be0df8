/** On GitHub Actions a failed gate also becomes an annotation on the run and the pull request. */
import { describe, expect, it } from 'vitest';
import { githubAnnotation } from '../../src/cli/annotations.js';
import { main } from '../../src/cli/main.js';
import { fakeIo } from '../helpers/fake-io.js';
import { engines, failing, fakeService } from '../helpers/fake-services.js';
import { tempDir } from '../helpers/temp-dir.js';

const MALICIOUS = 'a'.repeat(64);

async function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  registry = [fakeService('engines', () => ({ entries: engines(5) }))],
) {
  const dir = () => tempDir('ti-check-gha-');
  const io = fakeIo({ env: { XDG_CONFIG_HOME: dir(), XDG_CACHE_HOME: dir(), ...env }, cwd: dir() });
  const code = await main(args, io, registry);
  return { code, out: io.out(), err: io.err() };
}

describe('GitHub Actions annotations', () => {
  it('a failed gate writes its line and an ::error annotation to stderr; stdout stays the report', async () => {
    const { code, out, err } = await run(['--hash', MALICIOUS, '--json'], { GITHUB_ACTIONS: 'true' });
    expect(code).toBe(1);
    JSON.parse(out);
    expect(err).toBe(
      `ti-check: 1 of 1 target malicious: ${MALICIOUS} (ENGINES 5/5)\n` +
        `::error title=ti-check::1 of 1 target malicious: ${MALICIOUS} (ENGINES 5/5)\n`,
    );
  });

  it('nothing of the kind outside GitHub Actions', async () => {
    const { err } = await run(['--hash', MALICIOUS, '--json'], {});
    expect(err).not.toContain('::error');
  });

  it('no answer at all is a warning (exit 3), or an error with --fail-on-incomplete (exit 1)', async () => {
    const down = [failing('down')];
    const warned = await run(['--hash', MALICIOUS, '--json'], { GITHUB_ACTIONS: 'true' }, down);
    expect(warned.code).toBe(3);
    expect(warned.err).toContain('::warning title=ti-check::no service could answer for 1 of 1 target\n');
    const failed = await run(
      ['--hash', MALICIOUS, '--json', '--fail-on-incomplete'],
      { GITHUB_ACTIONS: 'true' },
      down,
    );
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('::error title=ti-check::no service could answer for 1 of 1 target\n');
  });

  it('escapes what would end or corrupt the command', () => {
    expect(githubAnnotation('error', 'a: b, c', '50% of\r\nfiles')).toBe(
      '::error title=a%3A b%2C c::50%25 of%0D%0Afiles\n',
    );
  });
});
