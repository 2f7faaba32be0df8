/** Secrets shorter than this are not redacted: masking "a" everywhere would garble every message. */
const MIN_SECRET_LENGTH = 4;
export const REDACTED = '***';

/** Replace every occurrence of each secret (and its URL-encoded form) in `text`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      out = out.split(form).join(REDACTED);
    }
  }
  return out;
}
