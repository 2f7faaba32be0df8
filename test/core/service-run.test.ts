import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FAILURE_STREAK,
  FIRST_PAUSE_MS,
  MAX_FAILED_PROBES,
  rejectedKeyError,
  ServiceRun,
} from '../../src/core/service-run.js';
import { AuthError, UnavailableError } from '../../src/errors.js';

const outage = new UnavailableError('HTTP 502 Bad Gateway');

/** Lets the promise settle as far as it can without time passing; true if it has settled. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

describe('ServiceRun health', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  async function fail(run: ServiceRun, times: number) {
    for (let i = 0; i < times; i++) run.settle(await run.admit(), 'failed', outage);
  }

  it(`pauses after ${FAILURE_STREAK} outages in a row, then lets one probe through`, async () => {
    const run = new ServiceRun('key-1234');
    await fail(run, FAILURE_STREAK - 1);
    expect(await settled(run.admit())).toBe(true);
    await fail(run, 1);
    const first = run.admit();
    const second = run.admit();
    expect(await settled(first)).toBe(false);
    await vi.advanceTimersByTimeAsync(FIRST_PAUSE_MS);
    // Exactly one of the waiting lookups probes; the other waits for the probe's answer.
    expect(await first).toEqual({ probe: true });
    expect(await settled(second)).toBe(false);
    run.settle({ probe: true }, 'answered');
    expect(await second).toEqual({ probe: false });
  });

  it('an answer in between resets the count', async () => {
    const run = new ServiceRun(undefined);
    await fail(run, FAILURE_STREAK - 1);
    run.settle(await run.admit(), 'answered');
    await fail(run, FAILURE_STREAK - 1);
    expect(await settled(run.admit())).toBe(true);
  });

  it('doubles the pause after a failed probe and writes the service off after the last', async () => {
    const run = new ServiceRun(undefined);
    await fail(run, FAILURE_STREAK);
    let pause = FIRST_PAUSE_MS;
    for (let probe = 1; probe <= MAX_FAILED_PROBES; probe++) {
      const next = run.admit();
      await vi.advanceTimersByTimeAsync(pause - 1);
      expect(await settled(next)).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      run.settle(await next, 'failed', outage);
      pause *= 2;
    }
    await expect(run.admit()).rejects.toThrow(
      `still failing after ${FAILURE_STREAK} failures in a row and ${MAX_FAILED_PROBES} probes: not asked again this run (last: HTTP 502 Bad Gateway)`,
    );
  });

  it('admitNow admits at once exactly when admit would, and defers otherwise', async () => {
    const run = new ServiceRun(undefined);
    expect(run.admitNow()).toEqual({ probe: false });
    await fail(run, FAILURE_STREAK);
    // Paused: admit would wait.
    expect(run.admitNow()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(FIRST_PAUSE_MS);
    // The probe is due: only admit hands it out.
    expect(run.admitNow()).toBeUndefined();
    const probe = await run.admit();
    expect(probe).toEqual({ probe: true });
    expect(run.admitNow()).toBeUndefined();
    run.settle(probe, 'answered');
    expect(run.admitNow()).toEqual({ probe: false });
    run.writeOff(new AuthError('rejected'));
    expect(run.admitNow()).toBeUndefined();
  });

  it('a written-off service fails at once, without waiting', async () => {
    const run = new ServiceRun('key-1234');
    run.writeOff(new AuthError('VT rejected the API key (HTTP 401): check TI_CHECK_VT_KEY'));
    await expect(run.admit()).rejects.toThrow('VT rejected the API key (HTTP 401): check TI_CHECK_VT_KEY');
  });
});

describe('rejectedKeyError', () => {
  it('names the service, the status and the variable to fix', () => {
    const cause = new AuthError('HTTP 401 Unauthorized: {"error":{"code":"WrongCredentialsError"}}');
    expect(rejectedKeyError('VirusTotal', 'TI_CHECK_VIRUSTOTAL_KEY', true, cause).message).toBe(
      'VirusTotal rejected the API key (HTTP 401): check TI_CHECK_VIRUSTOTAL_KEY',
    );
    expect(rejectedKeyError('CIRCL hashlookup', 'TI_CHECK_HASHLOOKUP_KEY', false, cause).message).toBe(
      'CIRCL hashlookup refused the request (HTTP 401): it may need a key (TI_CHECK_HASHLOOKUP_KEY)',
    );
  });
});
