#!/usr/bin/env node
// Batch lookups: hashes on stdin (`--hash-file - --services hashlookup --ndjson`) through the built
// binary against a local fake hashlookup that answers "not found" at once, cold cache (a new one per
// run). Two rows, as issue 10's table has them:
// - throughput: BENCH_HASHES (default 30,000) hashes, against bench/minimal-client.mjs (node:http,
//   a keep-alive agent, 32 requests in flight, the same URLs) run alternately in the same bench run;
//   target: at least 0.5× the minimal client's hashes a second;
// - peak RSS (VmHWM) for 10k / 30k / 100k hashes (BENCH_RSS_COUNTS=10000,30000,100000); target:
//   at most 160 MiB whatever the count.
// Medians of BENCH_RUNS runs (default 5). Run with `npm run build && node bench/run.mjs`.
// Options: BENCH_ROWS=throughput,rss (default both), BENCH_WARM=1 (the throughput row answers from a
// cache a first, untimed run filled), BENCH_CACHE=0 (--no-cache), BENCH_BIN=a/bin.js,b/bin.js
// (builds to compare, run alternately, each with its own cache).
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BINS, benchEnv, fastFakeHashlookup, liftedHome, measure, median, printTable, RUNS } from './lib.mjs';

const COUNT = Number(process.env.BENCH_HASHES ?? 30_000);
const RSS_COUNTS = (process.env.BENCH_RSS_COUNTS ?? '10000,30000,100000').split(',').map(Number);
const ROWS = new Set((process.env.BENCH_ROWS ?? 'throughput,rss').split(','));
const WARM = process.env.BENCH_WARM === '1';
const NO_CACHE = process.env.BENCH_CACHE === '0';
const RSS_TARGET_MIB = 160;
const MINIMAL = fileURLToPath(new URL('./minimal-client.mjs', import.meta.url));

/** `<sha1> item-<i>` lines, the same for every run of the bench. */
function hashList(count) {
  const lines = [];
  for (let i = 0; i < count; i++)
    lines.push(`${createHash('sha1').update(`bench ${i}`).digest('hex')} item-${i}\n`);
  return lines.join('');
}

const vendor = await fastFakeHashlookup();
const homes = [];
const newHome = () => liftedHome(homes);
const envFor = (home) => benchEnv(home, vendor.url);

async function tiCheck(bin, input, count, home = newHome()) {
  const args = [bin, '--hash-file', '-', '--services', 'hashlookup', '--ndjson'];
  if (NO_CACHE) args.push('--no-cache');
  const run = await measure(process.execPath, args, { cwd: home, env: envFor(home), stdin: input });
  if (run.code !== 0 || run.lines !== count) {
    throw new Error(`ti-check: exit ${run.code}, ${run.lines} lines of ${count}\n${run.stderr.slice(-2000)}`);
  }
  return run;
}

async function minimal(input, count) {
  const home = newHome();
  const run = await measure(process.execPath, [MINIMAL], { cwd: home, env: envFor(home), stdin: input });
  if (run.code !== 0 || run.lines !== count) {
    throw new Error(`minimal client: exit ${run.code}, ${run.lines} lines of ${count}\n${run.stderr}`);
  }
  return run;
}

const summary = (runs, count) => {
  const seconds = median(runs.map((r) => r.seconds));
  return {
    seconds: +seconds.toFixed(2),
    perSecond: Math.round(count / seconds),
    cpuSeconds: +median(runs.map((r) => r.cpuSeconds)).toFixed(2),
    peakRssMiB: +median(runs.map((r) => r.peakMiB)).toFixed(1),
    all: runs.map((r) => +r.seconds.toFixed(2)),
  };
};
const label = (b) => (BINS.length > 1 ? ` (${BINS[b]})` : '');
const mib = (value) => `${Math.round(value)} MiB`;
const table = [];
let failed = false;

try {
  if (ROWS.has('throughput')) {
    const input = hashList(COUNT);
    const warmHomes = BINS.map(() => (WARM ? newHome() : undefined));
    for (const [b, home] of warmHomes.entries()) if (home) await tiCheck(BINS[b], input, COUNT, home);
    const ours = BINS.map(() => []);
    const theirs = [];
    for (let i = 0; i < RUNS; i++) {
      for (const [b, bin] of BINS.entries()) ours[b].push(await tiCheck(bin, input, COUNT, warmHomes[b]));
      theirs.push(await minimal(input, COUNT));
    }
    const reference = summary(theirs, COUNT);
    const cache = NO_CACHE ? 'no cache' : WARM ? 'warm cache' : 'cold cache';
    for (const b of BINS.keys()) {
      const row = summary(ours[b], COUNT);
      const times = row.perSecond / reference.perSecond;
      if (times < 0.5) failed = true;
      console.log(
        JSON.stringify({
          row: 'throughput',
          bin: BINS[b],
          hashes: COUNT,
          cache,
          runs: RUNS,
          cpus: cpus().length,
          tiCheck: row,
          minimalClient: reference,
        }),
      );
      table.push({
        what: `${COUNT.toLocaleString('en')} hashes, ${cache}, fake vendor answering at once, vs a minimal \`node:http\` client, 32 in flight${label(b)}`,
        ours: `${row.perSecond.toLocaleString('en')}/s (${row.seconds} s, ${row.cpuSeconds} CPU s), ${mib(row.peakRssMiB)}`,
        reference: `${reference.perSecond.toLocaleString('en')}/s (${reference.seconds} s), ${mib(reference.peakRssMiB)}`,
        ratio: `${times.toFixed(2)}× its throughput`,
        target: '≥ 0.5× the minimal client',
      });
    }
  }
  if (ROWS.has('rss')) {
    const peaks = BINS.map(() => []);
    for (const count of RSS_COUNTS) {
      const input = hashList(count);
      const runs = BINS.map(() => []);
      for (let i = 0; i < RUNS; i++) {
        for (const [b, bin] of BINS.entries()) runs[b].push(await tiCheck(bin, input, count));
      }
      for (const b of BINS.keys()) {
        const row = summary(runs[b], count);
        console.log(
          JSON.stringify({
            row: 'rss',
            bin: BINS[b],
            hashes: count,
            cache: 'cold',
            runs: RUNS,
            tiCheck: row,
          }),
        );
        peaks[b].push(row.peakRssMiB);
      }
    }
    for (const b of BINS.keys()) {
      if (Math.max(...peaks[b]) > RSS_TARGET_MIB) failed = true;
      table.push({
        what: `peak RSS for ${RSS_COUNTS.map((n) => `${n / 1000}k`).join(' / ')} hashes (\`--ndjson\`, cold)${label(b)}`,
        ours: `${peaks[b].map(Math.round).join(' / ')} MiB`,
        target: `≤ ${RSS_TARGET_MIB} MiB whatever the count`,
      });
    }
  }
} finally {
  vendor.close();
  for (const home of homes) rmSync(home, { recursive: true, force: true });
}
printTable(table);
if (failed) console.log('\n(at least one row misses its target)');
