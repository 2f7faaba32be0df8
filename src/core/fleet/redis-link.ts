/**
 * The connection to a fleet's Redis, through node-redis's core client (`@redis/client`), loaded only
 * by runs that use a shared cache. Every command is bounded, in flight too (COMMAND_TIMEOUT_MS);
 * nothing queues while disconnected and nothing reconnects: a Redis that fails a command, closes the
 * connection or stops answering is lost for the rest of the run — told once to `onLost` — and every
 * caller goes on without it. A Redis that comes back is not tried again in the same run.
 */
import { redactRedisUrl } from './redis-url.js';

const CONNECT_TIMEOUT_MS = 3_000;
const COMMAND_TIMEOUT_MS = 3_000;

type Client = ReturnType<typeof import('@redis/client').createClient>;

/** A Lua script run by its SHA1 (EVALSHA), sent whole once when the server does not know it yet. */
export interface LuaScript {
  readonly source: string;
  readonly sha1: string;
}

/** Defined at module load, hashed at first use: a run without Redis never loads node:crypto for it. */
export function luaScript(source: string): LuaScript {
  let sha1: string | undefined;
  return {
    source,
    get sha1() {
      sha1 ??= process.getBuiltinModule('node:crypto').createHash('sha1').update(source).digest('hex');
      return sha1;
    },
  };
}

/** Thrown by every call once the link is lost: the caller's cue to use its local fallback. */
export class RedisLostError extends Error {
  override name = 'RedisLostError';
}

export interface RedisLink {
  /** The URL, password masked: safe to print. */
  readonly shownUrl: string;
  /** Why the link was lost; undefined while it is up. */
  readonly lost: Error | undefined;
  /** Runs one command; any failure loses the link for good and throws RedisLostError. */
  run<T>(command: (client: Client) => Promise<T>): Promise<T>;
  script(script: LuaScript, keys: string[], args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Connects, or throws (one line, the URL's password masked). `onLost` is told once, when a link that
 * was up is lost.
 */
export async function connectRedis(
  url: string,
  onLost: (error: Error) => void,
  mask: (text: string) => string,
): Promise<RedisLink> {
  const shownUrl = redactRedisUrl(url);
  const { createClient } = await import('@redis/client');
  const client: Client = createClient({
    url,
    name: 'ti-check',
    disableOfflineQueue: true,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false },
    commandOptions: { timeout: COMMAND_TIMEOUT_MS, rejectInFlight: true },
  });
  let lost: Error | undefined;
  const lose = (error: unknown): RedisLostError => {
    if (!lost) {
      lost = new RedisLostError(`Redis at ${shownUrl} ${describe(error, mask, true)}`, { cause: error });
      // Nothing is waited for on a lost link: its socket goes now, so the process can exit.
      client.destroy();
      onLost(lost);
    }
    return new RedisLostError(lost.message, { cause: lost });
  };
  // Without a listener, an 'error' event would end the process; here it loses the link.
  client.on('error', (error: unknown) => {
    if (connected) lose(error);
  });
  let connected = false;
  try {
    await client.connect();
    connected = true;
  } catch (error) {
    client.destroy();
    throw new RedisLostError(`Redis at ${shownUrl} ${describe(error, mask, false)}`, { cause: error });
  }

  // Calls under way: close() lets them finish (a lease's release, the last answers' SETs).
  const pending = new Set<Promise<unknown>>();
  const tracked = <T>(call: Promise<T>): Promise<T> => {
    pending.add(call);
    const settled = () => pending.delete(call);
    call.then(settled, settled);
    return call;
  };
  const run = <T>(command: (c: Client) => Promise<T>): Promise<T> => {
    if (lost) return Promise.reject(new RedisLostError(lost.message, { cause: lost }));
    return tracked(
      command(client).catch((error: unknown) => {
        throw lose(error);
      }),
    );
  };

  return {
    shownUrl,
    get lost() {
      return lost;
    },
    run,
    script(script, keys, args) {
      if (lost) return Promise.reject(new RedisLostError(lost.message, { cause: lost }));
      return tracked(
        client.evalSha(script.sha1, { keys, arguments: args }).catch((error: unknown) => {
          // The first use on this server (or after SCRIPT FLUSH): sent whole, then known by its SHA.
          if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw lose(error);
          return run((c) => c.eval(script.source, { keys, arguments: args }));
        }),
      );
    },
    async close() {
      while (pending.size > 0 && !lost) await Promise.allSettled([...pending]);
      if (lost) return;
      lost = new RedisLostError('closed');
      try {
        await client.close();
      } catch {
        client.destroy();
      }
    },
  };
}

/** What went wrong, in words: unreachable, lost, silent, or a refusal (a Redis error reply). */
function describe(error: unknown, mask: (text: string) => string, wasUp: boolean): string {
  const message = error instanceof Error ? error.message || error.name : String(error);
  const name = error instanceof Error ? error.name : '';
  const code = (error as { code?: unknown } | null)?.code;
  const why = (typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message).split(
    '\n',
  )[0];
  // A Redis error reply starts with its code in capitals: WRONGPASS, NOAUTH, READONLY, OOM, ERR…
  const what =
    /Timeout/.test(name) || /timed out/i.test(message)
      ? `did not answer within ${COMMAND_TIMEOUT_MS / 1000} s`
      : code === undefined && /^[A-Z]{2,}\b/.test(message)
        ? 'refused'
        : wasUp
          ? 'was lost'
          : 'is unreachable';
  return mask(`${what} (${why})`);
}
