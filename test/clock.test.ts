import { afterEach, describe, expect, it, vi } from 'vitest';
import { isoTime } from '../src/clock.js';

describe('isoTime', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is toISOString() of the time given, repeated or not', () => {
    for (const ms of [0, 1_733_300_000_123, 1_733_300_000_123, 1_733_300_000_124, 0, 86_400_000.5]) {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it("is now's by default", () => {
    vi.useFakeTimers({ now: new Date('2026-12-04T10:20:30.456Z') });
    expect(isoTime()).toBe('2026-12-04T10:20:30.456Z');
    vi.advanceTimersByTime(1);
    expect(isoTime()).toBe('2026-12-04T10:20:30.457Z');
  });

  it('refuses a time that is not one, as Date does', () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});
