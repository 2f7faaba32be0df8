/**
 * A real Redis for the fleet tests: Debian's redis-server on 127.0.0.1, on a free port, in a
 * temporary directory, persisting nothing; stopped by the test. `.ci/run` installs it and runs the
 * suite with TI_CHECK_TEST_REDIS=required, so a missing server fails CI instead of skipping.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tempDir } from './temp-dir.js';

export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:<port>/<db>`. */
  url(db?: number): string;
  /** Stops it (SIGTERM) and waits until it is gone. */
  stop(): Promise<void>;
  /** Runs redis-cli against it; its output. */
  cli(...args: string[]): string;
}

function which(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const HAS_REDIS = which('redis-server') && which('redis-cli');
/** Skip the Redis tests where redis-server is missing, except where it is required (CI). */
export const SKIP_REDIS = !HAS_REDIS && process.env.TI_CHECK_TEST_REDIS !== 'required';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startRedisServer(extra: string[] = []): Promise<RedisServer> {
  if (!HAS_REDIS)
    throw new Error('redis-server is not installed: apt-get install redis-server (.ci/run does)');
  const port = await freePort();
  const dir = tempDir('ti-check-redis-');
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}):\n${output}`));
    });
  });
  const cli = (...args: string[]) =>
    execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).trim();
  return {
    port,
    url: (db = 0) => `redis://127.0.0.1:${port}/${db}`,
    cli,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The Redis that `.ci/run` started for the suite (TI_CHECK_TEST_REDIS_URL, `redis://127.0.0.1:<port>`),
 * database `db` emptied first — each test file its own database — or else a server of its own. Tests
 * that stop Redis mid-run always start their own.
 */
export async function redisForTests(db: number): Promise<RedisServer> {
  const shared = process.env.TI_CHECK_TEST_REDIS_URL;
  if (!shared) return startRedisServer();
  const port = Number(new URL(shared).port);
  const cli = (...args: string[]) =>
    execFileSync('redis-cli', ['-p', String(port), '-n', String(db), ...args], { encoding: 'utf8' }).trim();
  cli('FLUSHDB');
  return { port, url: () => `redis://127.0.0.1:${port}/${db}`, cli, stop: async () => void cli('FLUSHDB') };
}
