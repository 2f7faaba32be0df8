#!/usr/bin/env node
// Directory scan: BENCH_FILES (default 10,000) files of 1–64 KiB in a temporary tree, checked with a
// warm cache (a first, untimed run against a local fake hashlookup fills it), against
// `rhash -r --md5 --sha1 --sha256` over the same tree. Both run BENCH_RUNS times (default 5),
// alternately, with the files in the page cache; medians are printed, with ti-check's peak RSS.
// Run with `npm run build && node bench/scan.mjs`. The tree is removed at the end.
// BENCH_BIN=a/bin.js,b/bin.js compares builds (each with its own warm cache), run alternately.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BINS, ensureTool, fakeHashlookup, measure, median, printTable, RUNS, ratio } from './lib.mjs';

const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const PER_DIR = 500;

const home = mkdtempSync(join(tmpdir(), 'ti-check-scan-'));
const tree = join(home, 'tree');
try {
  // Sizes from a fixed LCG, so every run of the bench scans the same tree shape.
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pool = randomBytes(64 * 1024 + 4096);
  let bytes = 0;
  for (let i = 0; i < FILES; i++) {
    const dir = join(tree, `d${Math.floor(i / PER_DIR)}`);
    if (i % PER_DIR === 0) mkdirSync(dir, { recursive: true });
    const size = 1024 + Math.floor(next() * 63 * 1024);
    const offset = Math.floor(next() * 4096);
    // Distinct content: the file's number up front, then a slice of the pool.
    const head = Buffer.from(`${i}\n`);
    writeFileSync(
      join(dir, `f${i}.bin`),
      Buffer.concat([head, pool.subarray(offset, offset + size - head.length)]),
    );
    bytes += size;
  }

  const vendor = await fakeHashlookup();
  const url = vendor.url;
  writeFileSync(
    join(home, '.ti-checkrc.json'),
    JSON.stringify({
      services: { hashlookup: { rateLimit: { requests: 100_000, perSeconds: 1 }, concurrency: 32 } },
    }),
  );
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    TI_CHECK_HASHLOOKUP_URL: url,
  };

  // Each build with its own cache, filled by an untimed run.
  const tiCheck = (b) =>
    measure(process.execPath, [BINS[b], tree, '--services', 'hashlookup', '--ndjson'], {
      cwd: home,
      env: { ...env, XDG_CACHE_HOME: join(home, `.cache-${b}`) },
    });
  for (const b of BINS.keys()) {
    const warm = await tiCheck(b);
    if (warm.code !== 0 || warm.lines !== FILES) {
      throw new Error(`the warm-up run failed: exit ${warm.code}, ${warm.lines} lines\n${warm.stderr}`);
    }
  }
  const hasRhash = ensureTool('rhash');
  const ours = BINS.map(() => []);
  const theirs = [];
  for (let i = 0; i < RUNS; i++) {
    for (const b of BINS.keys()) {
      const run = await tiCheck(b);
      if (run.code !== 0 || run.lines !== FILES)
        throw new Error(`ti-check: exit ${run.code}, ${run.lines} lines`);
      ours[b].push(run);
    }
    if (hasRhash)
      theirs.push(await measure('rhash', ['-r', '--md5', '--sha1', '--sha256', tree], { cwd: home, env }));
  }
  vendor.close();

  const theirSeconds = hasRhash ? median(theirs.map((r) => r.seconds)) : Number.NaN;
  const result = { files: FILES, mib: +(bytes / 1024 / 1024).toFixed(1), runs: RUNS, cpus: cpus().length };
  result.tiCheck = BINS.map((bin, b) => {
    const seconds = median(ours[b].map((r) => r.seconds));
    return {
      ...(BINS.length > 1 ? { bin } : {}),
      seconds: +seconds.toFixed(3),
      filesPerSecond: Math.round(FILES / seconds),
      cpuSeconds: +median(ours[b].map((r) => r.cpuSeconds)).toFixed(2),
      peakRssMiB: +median(ours[b].map((r) => r.peakMiB)).toFixed(1),
      ...(hasRhash ? { vsRhash: +(seconds / theirSeconds).toFixed(2) } : {}),
      all: ours[b].map((r) => +r.seconds.toFixed(3)),
    };
  });
  if (BINS.length === 1) result.tiCheck = result.tiCheck[0];
  result.rhash = hasRhash
    ? {
        seconds: +theirSeconds.toFixed(3),
        filesPerSecond: Math.round(FILES / theirSeconds),
        cpuSeconds: +median(theirs.map((r) => r.cpuSeconds)).toFixed(2),
        all: theirs.map((r) => +r.seconds.toFixed(3)),
      }
    : 'not installed (apt-get install rhash)';
  console.log(JSON.stringify(result));
  printTable(
    (Array.isArray(result.tiCheck) ? result.tiCheck : [result.tiCheck]).map((ours) => ({
      what: `${FILES.toLocaleString('en')} files of 1–64 KiB, warm cache, vs \`rhash -r --md5 --sha1 --sha256\`${ours.bin ? ` (${ours.bin})` : ''}`,
      ours: `${ours.seconds} s (${ours.filesPerSecond.toLocaleString('en')} files/s, ${ours.cpuSeconds} CPU s)`,
      reference: hasRhash ? `${result.rhash.seconds} s` : 'rhash missing',
      ratio: hasRhash ? ratio(ours.seconds, result.rhash.seconds) : undefined,
      target: '≤ 1.5×',
    })),
  );
} finally {
  rmSync(home, { recursive: true, force: true });
}
