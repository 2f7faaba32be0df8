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

  it('is toISOString() across the years it writes by hand, their edges, and the years beyond', () => {
    const edges = [
      -1, // 1969-12-31T23:59:59.999Z
      -62_167_219_200_000, // 0000-01-01T00:00:00.000Z
      -62_167_219_200_001, // the last ms of year -1: toISOString's own extended form
      253_402_300_799_999, // 9999-12-31T23:59:59.999Z
      253_402_300_800_000, // +010000-01-01T00:00:00.000Z
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      8.64e15,
      -8.64e15,
    ];
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const spread = Array.from({ length: 5_000 }, () => Math.floor((random() * 2 - 1) * 2.6e14));
    for (const ms of [...edges, ...spread]) expect(isoTime(ms), String(ms)).toBe(new Date(ms).toISOString());
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
