/** The shared cache's address: `redis://` or `rediss://` (TLS), and how it is shown (never its password). */
import { ConfigError } from '../../errors.js';

/** The URL checked: a clear one-line error for anything that is not a Redis address. */
export function parseRedisUrl(raw: string, from: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${from}: not a URL: give redis://host:6379/0 or rediss://host:6380/0`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(
      `${from}: ${redactRedisUrl(raw)} is not a Redis address: give redis://host:6379/0 or rediss://host:6380/0`,
    );
  }
  if (!url.hostname) throw new ConfigError(`${from}: ${redactRedisUrl(raw)} names no host`);
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) {
    throw new ConfigError(`${from}: ${redactRedisUrl(raw)}: the path is the database number (/0 … /15)`);
  }
  return url;
}

/** The URL as every message shows it: the password (and any query) replaced, so it can be printed. */
export function redactRedisUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    // `redis://secret@host`: a lone user part may well be a password.
    else if (url.username) url.username = '***';
    url.search = '';
    url.hash = '';
    return url.toString();
  } catch {
    // Not a URL at all: nothing of it is shown, it may hold anything.
    return '(the cache URL)';
  }
}

/** The credentials in the URL, for masking any message a Redis error might quote them in. */
export function redisUrlSecrets(raw: string): string[] {
  try {
    const url = new URL(raw);
    const secret = url.password || url.username;
    return [secret, decodeURIComponent(secret)].filter((s) => s.length >= 4);
  } catch {
    return [];
  }
}
