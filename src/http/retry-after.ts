/** asctime-date (`Sun Nov  6 08:49:37 1994`) names no zone, and Date.parse would read local time: HTTP dates are GMT. */
const ASCTIME = /^[a-z]{3} [a-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/i;

/**
 * Seconds to wait from a Retry-After header: either delta-seconds or an HTTP date
 * (RFC 9110 §10.2.3). Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // Any other number ("1.5", "-5", "1,5") is unreadable, though Date.parse makes a date of it.
  if (/^[-+\d.,\s]+$/.test(trimmed)) return undefined;
  const date = Date.parse(ASCTIME.test(trimmed) ? `${trimmed} GMT` : trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
