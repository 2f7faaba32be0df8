#!/usr/bin/env node
// Hashing throughput: MD5 + SHA1 + SHA256 in one streaming pass over a large file, against the three
// hashes computed by three separate passes (what a naive tool does), and the peak memory it takes.
// Run with `npm run bench` (builds first). Size with BENCH_HASH_MIB (default 512).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashFile } from '../dist/core/hash.js';

const mib = Number(process.env.BENCH_HASH_MIB ?? 512);
const dir = mkdtempSync(join(tmpdir(), 'ti-check-bench-'));
const file = join(dir, 'big.bin');
const block = randomBytes(1024 * 1024);
writeFileSync(file, Buffer.alloc(0));
for (let i = 0; i < mib; i++) writeFileSync(file, block, { flag: 'a' });

async function onePassPerAlgorithm() {
  for (const algorithm of ['md5', 'sha1', 'sha256']) {
    const hash = createHash(algorithm);
    for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk);
    hash.digest('hex');
  }
}

async function time(label, fn) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const started = process.hrtime.bigint();
    await fn();
    runs.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  const best = Math.min(...runs);
  console.log(`${label.padEnd(34)} best of 3: ${best.toFixed(2)} s  (${(mib / best).toFixed(0)} MiB/s)`);
}

const rssBefore = process.memoryUsage().rss;
await time('ti-check hashFile (one pass)', () => hashFile(file));
const rssAfter = process.memoryUsage().rss;
await time('three passes, one per algorithm', onePassPerAlgorithm);
console.log(
  `file: ${mib} MiB · RSS growth while hashing: ${((rssAfter - rssBefore) / 1024 / 1024).toFixed(1)} MiB`,
);
rmSync(dir, { recursive: true, force: true });
