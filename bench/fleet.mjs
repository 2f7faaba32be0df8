#!/usr/bin/env node
// The shared cache (issue 11): the built binary over BENCH_FLEET_HASHES (default 10,000) hashes on
// stdin (`--hash-file - --services hashlookup --ndjson`) against a local fake hashlookup answering
// "not found" at once, with the embedded SQLite cache and with a Redis cache (`--cache redis://…`,
// Debian's redis-server on 127.0.0.1, started here), run alternately in the same bench run:
// - lookups a second, cold (an empty cache each run: every hash asked, every answer stored);
// - cache hits a second, warm (every hash answered from the cache a cold run filled).
// Medians of BENCH_RUNS runs (default 5). Run with `npm run build && node bench/fleet.mjs`.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BINS,
  benchEnv,
  ensureTool,
  fastFakeHashlookup,
  liftedHome,
  measure,
  median,
  printTable,
  RUNS,
} from './lib.mjs';

const COUNT = Number(process.env.BENCH_FLEET_HASHES ?? 10_000);
const [BIN] = BINS;

if (!ensureTool('redis-server') || !ensureTool('redis-cli', 'redis-tools')) {
  console.log(
    'redis-server is missing and could not be installed (apt-get install redis-server): row skipped',
  );
  process.exit(0);
}

const port = await new Promise((done) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => done(free));
  });
});
const redisDir = mkdtempSync(join(tmpdir(), 'ti-check-bench-redis-'));
const redis = spawn(
  'redis-server',
  ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise((done, fail) => {
  let out = '';
  redis.stdout.setEncoding('utf8').on('data', (chunk) => {
    out += chunk;
    if (out.includes('Ready to accept connections')) done();
  });
  redis.once('exit', () => fail(new Error(`redis-server did not start:\n${out}`)));
});
const REDIS_URL = `redis://127.0.0.1:${port}/0`;
const flushRedis = () =>
  new Promise((done) => spawn('redis-cli', ['-p', String(port), 'flushall']).on('close', done));

const vendor = await fastFakeHashlookup();
const input = Array.from(
  { length: COUNT },
  (_, i) => `${createHash('sha1').update(`fleet bench ${i}`).digest('hex')}\n`,
).join('');
const homes = [];
const newHome = () => liftedHome(homes);

async function tiCheck(home, extra) {
  const args = [BIN, '--hash-file', '-', '--services', 'hashlookup', '--ndjson', ...extra];
  const env = benchEnv(home, vendor.url);
  const run = await measure(process.execPath, args, { cwd: home, env, stdin: input });
  if (run.code !== 0 || run.lines !== COUNT || run.stderr.replace(/cpu [\d. ]+\s*$/, '').trim() !== '') {
    throw new Error(
      `ti-check ${extra.join(' ')}: exit ${run.code}, ${run.lines} lines of ${COUNT}\n${run.stderr.slice(-2000)}`,
    );
  }
  return run;
}

const runs = { sqliteCold: [], redisCold: [], sqliteWarm: [], redisWarm: [] };
try {
  for (let i = 0; i < RUNS; i++) {
    const home = newHome();
    runs.sqliteCold.push(await tiCheck(home, []));
    runs.sqliteWarm.push(await tiCheck(home, []));
    await flushRedis();
    runs.redisCold.push(await tiCheck(newHome(), ['--cache', REDIS_URL]));
    // Another machine of the fleet: a home of its own, the answers in Redis.
    runs.redisWarm.push(await tiCheck(newHome(), ['--cache', REDIS_URL]));
  }
} finally {
  vendor.close();
  redis.kill('SIGTERM');
  for (const home of homes) rmSync(home, { recursive: true, force: true });
  rmSync(redisDir, { recursive: true, force: true });
}

const rate = (list) => Math.round(COUNT / median(list.map((r) => r.seconds)));
const rss = (list) => Math.round(median(list.map((r) => r.peakMiB)));
const figures = Object.fromEntries(
  Object.entries(runs).map(([k, list]) => [
    k,
    { perSecond: rate(list), peakRssMiB: rss(list), all: list.map((r) => +r.seconds.toFixed(2)) },
  ]),
);
console.log(JSON.stringify({ row: 'fleet', hashes: COUNT, runs: RUNS, ...figures }));
const ratio = (a, b) => `${(a / b).toFixed(2)}× SQLite`;
printTable([
  {
    what: `${COUNT.toLocaleString('en')} hashes, cold: lookups a second, Redis cache vs the embedded SQLite cache`,
    ours: `${figures.redisCold.perSecond.toLocaleString('en')}/s, ${figures.redisCold.peakRssMiB} MiB`,
    reference: `${figures.sqliteCold.perSecond.toLocaleString('en')}/s, ${figures.sqliteCold.peakRssMiB} MiB`,
    ratio: ratio(figures.redisCold.perSecond, figures.sqliteCold.perSecond),
    target: 'measured (issue 11 sets none)',
  },
  {
    what: `${COUNT.toLocaleString('en')} hashes, warm: cache hits a second, Redis (another machine's answers) vs SQLite`,
    ours: `${figures.redisWarm.perSecond.toLocaleString('en')}/s, ${figures.redisWarm.peakRssMiB} MiB`,
    reference: `${figures.sqliteWarm.perSecond.toLocaleString('en')}/s, ${figures.sqliteWarm.peakRssMiB} MiB`,
    ratio: ratio(figures.redisWarm.perSecond, figures.sqliteWarm.perSecond),
    target: 'measured (issue 11 sets none)',
  },
]);
