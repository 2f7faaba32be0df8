/**
 * Secret redaction: the one mask every message, debug line and vendor-supplied string goes through
 * before anyone sees it.
 *
 * A secret is masked in every encoding the HTTP client itself produces (raw, in a path, in a query
 * string or form body, inside a JSON string), and so is any run of WINDOW or more of its characters:
 * a key cut by a length limit, or quoted in part by a vendor, is still the key.
 */

/** Secrets shorter than this are not redacted: masking "a" everywhere would garble every message. */
const MIN_SECRET_LENGTH = 4;
/** A run of this many characters of a secret counts as the secret. */
const WINDOW = 8;
export const REDACTED = '***';

/** The forms a secret takes on the wire: raw, percent-encoded, form-encoded, JSON-escaped. */
function encodings(secret: string): Set<string> {
  return new Set([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ k: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ]);
}

/** What `redact` looks for: every WINDOW-character run of a secret's forms, and the forms too short for one. */
interface Mask {
  whole: string[];
  windows: Set<string>;
  /**
   * Any one of the windows: most of a vendor's text holds none, and the regular expression engine
   * tells so in native code, where a JavaScript loop over every position ran cold (~1 ms of a
   * ten-service lookup's answers).
   */
  anyWindow: RegExp;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The mask of the secrets long enough to be one, or undefined when there is none. */
function maskOf(secrets: Iterable<string | undefined>): Mask | undefined {
  const whole: string[] = [];
  const windows = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of encodings(secret)) {
      if (form.length < WINDOW) {
        whole.push(form);
        continue;
      }
      for (let i = 0; i + WINDOW <= form.length; i++) windows.add(form.slice(i, i + WINDOW));
    }
  }
  if (whole.length === 0 && windows.size === 0) return undefined;
  // Longest first, so that a short form never masks half of a longer one.
  whole.sort((a, b) => b.length - a.length);
  const anyWindow = new RegExp([...windows].map(escapeRegExp).join('|') || '(?!)');
  return { whole, windows, anyWindow };
}

/**
 * Replace every occurrence of each secret, in any of its encodings and in part, in `text`. A
 * SecretSet keeps its mask between calls; any other list of secrets is read afresh.
 */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  if (secrets instanceof SecretSet) return secrets.redact(text);
  return applyMask(text, maskOf(secrets));
}

function applyMask(text: string, mask: Mask | undefined): string {
  if (!mask || text.length === 0) return text;
  let out = text;
  if (mask.windows.size > 0 && out.length >= WINDOW) out = maskWindows(out, mask);
  for (const form of mask.whole) out = out.split(form).join(REDACTED);
  return out;
}

/** Masks every stretch of `text` that is covered by windows of a secret, each stretch as one REDACTED. */
function maskWindows(text: string, { windows, anyWindow }: Mask): string {
  if (!anyWindow.test(text)) return text;
  let out = '';
  let copiedUpTo = 0;
  let maskedUpTo = -1;
  for (let i = 0; i + WINDOW <= text.length; i++) {
    if (!windows.has(text.slice(i, i + WINDOW))) continue;
    if (i > maskedUpTo) {
      // A new stretch starts here.
      out += text.slice(copiedUpTo, i) + REDACTED;
    }
    maskedUpTo = i + WINDOW;
    copiedUpTo = maskedUpTo;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** A redactor over a live set of secrets: a service's key plus any token it derives during the run. */
export class SecretSet implements Iterable<string> {
  readonly #secrets = new Set<string>();
  /**
   * Built by the first `redact` after a change, then kept: a result's every engine row is redacted,
   * and building the mask (four encodings, a window set) cost ~15 µs a call, ~2 ms for one
   * VirusTotal answer.
   */
  #mask: Mask | undefined;
  #maskIsStale = true;

  constructor(initial: Iterable<string | undefined> = []) {
    for (const secret of initial) this.add(secret);
  }

  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.#secrets.has(secret)) return;
    this.#secrets.add(secret);
    this.#maskIsStale = true;
  }

  get size(): number {
    return this.#secrets.size;
  }

  [Symbol.iterator](): Iterator<string> {
    return this.#secrets[Symbol.iterator]();
  }

  redact(text: string): string {
    this.prepare();
    return applyMask(text, this.#mask);
  }

  /** Builds the mask now rather than at the first `redact`: for a moment when nothing waits on it. */
  prepare(): void {
    if (!this.#maskIsStale) return;
    this.#mask = maskOf(this.#secrets);
    this.#maskIsStale = false;
    // V8 compiles a regular expression at its first use: that first use is now.
    this.#mask?.anyWindow.test('');
  }
}
