import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { runBatch } from '../../src/core/batch.js';
import { type PreparedService, prepareServices } from '../../src/core/prepare.js';
import { ServiceRun } from '../../src/core/service-run.js';
import { targetFromHash } from '../../src/core/targets.js';
import { BadResponseError } from '../../src/errors.js';
import { DEFAULT_POLICY } from '../../src/model/policy.js';
import type { Target, TargetResult } from '../../src/model/report.js';
import { engines, failing, fakeService } from '../helpers/fake-services.js';

const SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
const target = targetFromHash({ type: 'sha256', value: SHA256 });
const config = { services: {}, policy: DEFAULT_POLICY, timeout: 20 };
const prepare = (...services: Parameters<typeof prepareServices>[0]) => prepareServices(services, config);

/** One target through the batch run, as the CLI runs it (no cache, no throttle). */
async function checkTarget(
  target: Target,
  services: readonly PreparedService[],
  options: { policy: typeof DEFAULT_POLICY },
): Promise<TargetResult> {
  const results: TargetResult[] = [];
  await runBatch(
    (async function* () {
      yield [{ target }];
    })(),
    services,
    {
      ...options,
      cacheMode: 'off',
      limiters: new Map(),
      concurrencyFor: () => 4,
      skipKnownGood: false,
      onResult: (result) => results.push(result),
    },
  );
  return results[0] as TargetResult;
}

describe('checking one target', () => {
  it('maps a multi-engine finding to stats, verdict, summary and link', async () => {
    const vt = fakeService('vt', () => ({ entries: engines(0, 1, 2).concat(engines(4)) }));
    const result = await checkTarget(target, prepare(vt), { policy: DEFAULT_POLICY });
    expect(result.verdict).toBe('malicious');
    const [row] = result.services;
    expect(row).toMatchObject({
      service: 'vt',
      status: 'found',
      verdict: 'malicious',
      stats: { malicious: 4, suspicious: 0, clean: 1, undetected: 2, total: 7 },
      summary: '4/7 engines: malicious',
      link: `https://vt.example.test/file/${SHA256}`,
      error: null,
    });
    expect(row?.entries.map((e) => e.category)).toEqual([
      'malicious',
      'malicious',
      'malicious',
      'malicious',
      'clean',
      'undetected',
      'undetected',
    ]);
  });

  it("appends the adapter's context to the derived summary line", async () => {
    const vt = fakeService('vt', () => ({ entries: engines(3, 0, 2, 1), summary: 'label: trojan.emotet' }));
    const box = fakeService('box', () => ({ entries: [], verdict: 'suspicious', summary: 'score 6' }), {
      kind: 'sandbox',
    });
    const result = await checkTarget(target, prepare(vt, box), { policy: DEFAULT_POLICY });
    expect(result.services.map((s) => s.summary)).toEqual([
      '3/6 engines (+1 suspicious): malicious · label: trojan.emotet',
      'suspicious · score 6',
    ]);
  });

  it('keeps the vendor verdict of a non-engine service and reports not found as gray', async () => {
    const sandbox = fakeService('box', () => ({ entries: [], verdict: 'suspicious' }), { kind: 'sandbox' });
    const repo = fakeService('repo', () => null, { kind: 'repository' });
    const result = await checkTarget(target, prepare(sandbox, repo), { policy: DEFAULT_POLICY });
    expect(result.services.map((s) => [s.service, s.status, s.verdict, s.stats])).toEqual([
      ['box', 'found', 'suspicious', null],
      ['repo', 'not_found', null, null],
    ]);
    expect(result.verdict).toBe('suspicious');
  });

  it('isolates failures: an error, a drifted schema and a hang never stop the others', async () => {
    // The hang's deadline runs on the fake clock: the run ends when it passes, not before.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    onTestFinished(() => void vi.useRealTimers());
    let hangStarted: () => void = () => {};
    const hangs = new Promise<void>((resolve) => {
      hangStarted = resolve;
    });
    const services = prepareServices(
      [
        failing('down'),
        failing('drift', new BadResponseError('answer does not match the expected schema')),
        fakeService(
          'slow',
          () => {
            hangStarted();
            return new Promise<never>(() => undefined);
          },
          { displayName: 'Hangs' },
        ),
        fakeService('ok', () => ({ entries: [], verdict: 'clean' }), { kind: 'known-good' }),
      ],
      config,
      { timeoutSeconds: 0.2 },
    );
    const pending = checkTarget(target, services, { policy: DEFAULT_POLICY });
    await hangs;
    await vi.advanceTimersByTimeAsync(199);
    expect(await Promise.race([pending, 'still waiting'])).toBe('still waiting');
    await vi.advanceTimersByTimeAsync(1);
    const result = await pending;
    expect(result.services.map((s) => [s.service, s.status, s.error?.code ?? null])).toEqual([
      ['down', 'error', 'auth'],
      ['drift', 'error', 'bad_response'],
      ['slow', 'error', 'timeout'],
      ['ok', 'found', null],
    ]);
    expect(result.verdict).toBe('clean');
  });

  it('asks all services at the same time', async () => {
    // Each lookup waits until all four have started (or gives up after 2 s): one at a time, the
    // most ever in flight would be 1. Counted, not timed, so a loaded machine cannot fail it.
    let inFlight = 0;
    let mostInFlight = 0;
    let allStarted: () => void = () => {};
    const barrier = new Promise<void>((resolve) => {
      allStarted = resolve;
    });
    const waiting = (id: string) =>
      fakeService(id, async () => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        if (inFlight === 4) allStarted();
        await Promise.race([barrier, new Promise((resolve) => setTimeout(resolve, 2_000))]);
        inFlight--;
        return null;
      });
    await checkTarget(target, prepare(waiting('a'), waiting('b'), waiting('c'), waiting('d')), {
      policy: DEFAULT_POLICY,
    });
    expect(mostInFlight).toBe(4);
  });

  it('shows services without a key as disabled with the env var to set, and never calls them', async () => {
    let called = false;
    const keyed = fakeService(
      'keyed',
      () => {
        called = true;
        return null;
      },
      { auth: { key: 'required' } },
    );
    const result = await checkTarget(target, prepare(keyed), { policy: DEFAULT_POLICY });
    expect(called).toBe(false);
    expect(result.services[0]).toMatchObject({
      status: 'disabled',
      hint: 'needs an API key: set TI_CHECK_KEYED_KEY',
    });
    expect(result.verdict).toBe('unknown');
  });

  it('shows unsupported when the service cannot take the hash type', async () => {
    const sha256Only = fakeService('only256', () => null, { hashTypes: ['sha256'] });
    const md5Target = targetFromHash({ type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f' });
    const result = await checkTarget(md5Target, prepare(sha256Only), { policy: DEFAULT_POLICY });
    expect(result.services[0]).toMatchObject({ status: 'unsupported', hint: 'accepts sha256 only' });
  });

  it('masks a secret the adapter registers, also through `secret` taken off its context', async () => {
    const derived = fakeService('derived', () => null, {
      lookup: async (_hash, ctx) => {
        const { secret, signal, state } = ctx;
        secret('session-token-4f1c2b9e');
        expect(signal).toBeInstanceOf(AbortSignal);
        expect(state).toBeInstanceOf(Map);
        throw new Error('the vendor refused session-token-4f1c2b9e');
      },
    });
    const [prepared] = prepare(derived) as [PreparedService];
    const result = await checkTarget(target, [prepared], { policy: DEFAULT_POLICY });
    expect(result.services[0]?.error?.message).toBe('the vendor refused ***');
  });

  it('turns an adapter bug into an error row and redacts the key from any message', async () => {
    const buggy = fakeService('buggy', () => {
      throw new TypeError('cannot read x of undefined (key super-secret-key)');
    });
    const [prepared] = prepare(buggy) as [PreparedService];
    const keyed = { ...prepared, apiKey: 'super-secret-key', run: new ServiceRun('super-secret-key') };
    const result = await checkTarget(target, [keyed], {
      policy: DEFAULT_POLICY,
    });
    expect(result.services[0]?.error).toEqual({
      code: 'internal',
      message: 'cannot read x of undefined (key ***)',
    });
  });
});
