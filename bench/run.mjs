// Batch benchmark: 100,000 hashes on stdin through the built binary against a local fake
// hashlookup. Prints lines in/out, wall time, throughput and peak RSS (VmHWM, Linux /proc).
// Run with `npm run bench` (it builds first). Options: BENCH_HASHES=n, BENCH_CACHE=0 (adds --no-cache).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const COUNT = Number(process.env.BENCH_HASHES ?? 100_000);
const server = createServer((req, res) => {
  req.resume();
  res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Non existing SHA-1"}');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}`;

const home = mkdtempSync(join(tmpdir(), 'ti-check-bench-'));
writeFileSync(
  join(home, '.ti-checkrc.json'),
  JSON.stringify({
    services: { hashlookup: { rateLimit: { requests: 100_000, perSeconds: 1 }, concurrency: 32 } },
  }),
);
const BIN = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const args = [BIN, '--hash-file', '-', '--services', 'hashlookup', '--ndjson'];
if (process.env.BENCH_CACHE === '0') args.push('--no-cache');
const started = performance.now();
const child = spawn(process.execPath, args, {
  cwd: home,
  env: {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    TI_CHECK_HASHLOOKUP_URL: url,
  },
  stdio: ['pipe', 'pipe', 'inherit'],
});
let peakKiB = 0;
const poll = setInterval(() => {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    if (match) peakKiB = Math.max(peakKiB, Number(match[1]));
  } catch {}
}, 50);
let lines = 0;
let tail = '';
child.stdout.setEncoding('utf8').on('data', (chunk) => {
  const text = tail + chunk;
  const parts = text.split('\n');
  tail = parts.pop() ?? '';
  lines += parts.length;
});
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
server.close();
rmSync(home, { recursive: true, force: true });
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    hashes: COUNT,
    outputLines: lines,
    exitCode: code,
    seconds: +seconds.toFixed(1),
    perSecond: Math.round(COUNT / seconds),
    peakRssMiB: +(peakKiB / 1024).toFixed(1),
  }),
);
if (lines !== COUNT) process.exitCode = 1;
