// Batch benchmark: hashes on stdin through the built binary against a local fake hashlookup.
// Prints lines in/out, wall and CPU time, throughput and peak RSS (VmHWM, Linux /proc): medians of
// BENCH_RUNS runs (default 5), each run's wall time listed too.
// Run with `npm run bench` (it builds first). Options: BENCH_HASHES=n (default 100,000),
// BENCH_RUNS=n, BENCH_CACHE=0 (adds --no-cache), BENCH_WARM=1 (a first, untimed run fills the cache
// and every timed run answers from it; otherwise each timed run starts with an empty cache),
// BENCH_BIN=a/bin.js,b/bin.js (builds to compare, run alternately; default: this tree's dist).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const COUNT = Number(process.env.BENCH_HASHES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const WARM = process.env.BENCH_WARM === '1';
const server = createServer((req, res) => {
  req.resume();
  res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Non existing SHA-1"}');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}`;
const BINS = process.env.BENCH_BIN
  ? process.env.BENCH_BIN.split(',').map((p) => resolve(p))
  : [fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url))];

function newHome() {
  const home = mkdtempSync(join(tmpdir(), 'ti-check-bench-'));
  writeFileSync(
    join(home, '.ti-checkrc.json'),
    JSON.stringify({
      services: { hashlookup: { rateLimit: { requests: 100_000, perSeconds: 1 }, concurrency: 32 } },
    }),
  );
  return home;
}

async function runOnce(bin, home) {
  const args = [bin, '--hash-file', '-', '--services', 'hashlookup', '--ndjson'];
  if (process.env.BENCH_CACHE === '0') args.push('--no-cache');
  const started = performance.now();
  // Through bash's `time`, for the CPU seconds too (less at the mercy of other load than the wall).
  const child = spawn(
    'bash',
    ['-c', 'TIMEFORMAT="cpu %U %S"; time "$@"', 'bash', process.execPath, ...args],
    {
      cwd: home,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        XDG_CACHE_HOME: join(home, '.cache'),
        TI_CHECK_HASHLOOKUP_URL: url,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let peakKiB = 0;
  const poll = setInterval(() => {
    try {
      // bash's child: the binary itself.
      const pids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ');
      for (const pid of pids.filter(Boolean)) {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (match) peakKiB = Math.max(peakKiB, Number(match[1]));
      }
    } catch {}
  }, 50);
  let lines = 0;
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  // Written as a stream, so the input itself never sits whole in the child's memory.
  (async () => {
    for (let i = 0; i < COUNT; i++) {
      const line = `${createHash('sha1').update(`bench ${i}`).digest('hex')} item-${i}\n`;
      if (!child.stdin.write(line)) await new Promise((resolve) => child.stdin.once('drain', resolve));
    }
    child.stdin.end();
  })();
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(poll);
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(stderr);
  return {
    code,
    lines,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : Number.NaN,
    peakMiB: peakKiB / 1024,
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const homes = [];
const runs = BINS.map(() => []);
try {
  // One cache per build, filled by an untimed run.
  const warmHomes = BINS.map(() => (WARM ? newHome() : undefined));
  for (const [b, home] of warmHomes.entries()) {
    if (!home) continue;
    homes.push(home);
    await runOnce(BINS[b], home);
  }
  for (let i = 0; i < RUNS; i++) {
    for (const [b, bin] of BINS.entries()) {
      const home = warmHomes[b] ?? newHome();
      runs[b].push(await runOnce(bin, home));
      if (!warmHomes[b]) rmSync(home, { recursive: true, force: true });
    }
  }
} finally {
  server.close();
  for (const home of homes) rmSync(home, { recursive: true, force: true });
}
for (const [b, bin] of BINS.entries()) {
  const seconds = median(runs[b].map((r) => r.seconds));
  console.log(
    JSON.stringify({
      ...(BINS.length > 1 ? { bin } : {}),
      hashes: COUNT,
      cache: process.env.BENCH_CACHE === '0' ? 'off' : WARM ? 'warm' : 'cold',
      runs: RUNS,
      outputLines: median(runs[b].map((r) => r.lines)),
      exitCodes: [...new Set(runs[b].map((r) => r.code))],
      seconds: +seconds.toFixed(2),
      perSecond: Math.round(COUNT / seconds),
      cpuSeconds: +median(runs[b].map((r) => r.cpuSeconds)).toFixed(2),
      peakRssMiB: +median(runs[b].map((r) => r.peakMiB)).toFixed(1),
      all: runs[b].map((r) => +r.seconds.toFixed(2)),
    }),
  );
}
if (runs.flat().some((r) => r.lines !== COUNT)) process.exitCode = 1;
