#!/usr/bin/env node
// One large file, page-cached, through the built binary's network path
// (`ti-check big.bin --services hashlookup --json --no-cache`, a local fake hashlookup answering at
// once) against `rhash --md5 --sha1 --sha256 big.bin`, alternately, BENCH_RUNS times (default 5):
// medians of wall time, CPU time and ti-check's peak RSS. Size: BENCH_HASH_MIB (default 1024).
// Run with `npm run build && node bench/hash.mjs`; BENCH_BIN=a/bin.js,b/bin.js compares builds.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BINS,
  benchEnv,
  ensureTool,
  fakeHashlookup,
  measure,
  median,
  printTable,
  RUNS,
  ratio,
} from './lib.mjs';

const MIB = Number(process.env.BENCH_HASH_MIB ?? 1024);
const home = mkdtempSync(join(tmpdir(), 'ti-check-hash-'));
const file = join(home, 'big.bin');
const vendor = await fakeHashlookup();
try {
  const fd = openSync(file, 'w');
  const block = randomBytes(1024 * 1024);
  for (let i = 0; i < MIB; i++) writeSync(fd, block.fill(i & 0xff, 0, 1));
  closeSync(fd);
  writeFileSync(join(home, '.ti-checkrc.json'), '{}');
  const env = benchEnv(home, vendor.url);
  const hasRhash = ensureTool('rhash');
  const ours = BINS.map(() => []);
  const theirs = [];
  // One untimed pass of each, so that every timed one reads from the page cache.
  const tiCheck = (bin) =>
    measure(process.execPath, [bin, file, '--services', 'hashlookup', '--json', '--no-cache'], {
      cwd: home,
      env,
    });
  const rhash = () => measure('rhash', ['--md5', '--sha1', '--sha256', file], { cwd: home, env });
  for (let i = -1; i < RUNS; i++) {
    for (const [b, bin] of BINS.entries()) {
      const run = await tiCheck(bin);
      if (run.code !== 0 || !run.stdout.includes('"sha256"')) {
        throw new Error(`ti-check: exit ${run.code}\n${run.stderr}`);
      }
      if (i >= 0) ours[b].push(run);
    }
    if (hasRhash) {
      const run = await rhash();
      if (i >= 0) theirs.push(run);
    }
  }

  const theirSeconds = hasRhash ? median(theirs.map((r) => r.seconds)) : Number.NaN;
  const rows = [];
  for (const [b, bin] of BINS.entries()) {
    const seconds = median(ours[b].map((r) => r.seconds));
    const cpu = median(ours[b].map((r) => r.cpuSeconds));
    const peak = median(ours[b].map((r) => r.peakMiB));
    const which = BINS.length > 1 ? ` (${bin})` : '';
    rows.push(
      {
        what: `${MIB} MiB page-cached file vs \`rhash --md5 --sha1 --sha256\`${which}`,
        ours: `${seconds.toFixed(2)} s (${Math.round(MIB / seconds)} MiB/s, ${cpu.toFixed(2)} CPU s)`,
        reference: hasRhash
          ? `${theirSeconds.toFixed(2)} s (${median(theirs.map((r) => r.cpuSeconds)).toFixed(2)} CPU s)`
          : 'rhash missing',
        ratio: hasRhash ? ratio(seconds, theirSeconds) : undefined,
        target: '≤ 0.75×',
      },
      {
        what: `peak RSS, ${MIB} MiB file through the network path${which}`,
        ours: `${peak.toFixed(0)} MiB`,
        target: '≤ 96 MiB',
      },
    );
  }
  console.log(
    `${MIB} MiB file, ${RUNS} runs each, alternately, on ${cpus().length} CPUs; ti-check wall times: ${ours
      .map((runs) => runs.map((r) => r.seconds.toFixed(2)).join(' '))
      .join(' | ')}; rhash: ${theirs.map((r) => r.seconds.toFixed(2)).join(' ')}`,
  );
  printTable(rows);
} finally {
  vendor.close();
  rmSync(home, { recursive: true, force: true });
}
