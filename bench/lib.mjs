// What the bench scripts share: timing a command (wall, CPU, peak RSS), medians, a local fake
// vendor, reference tools from Debian's packages, and the closing Markdown table every script prints.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** The builds to measure: BENCH_BIN=a/bin.cjs,b/bin.cjs, or this tree's dist. */
export const BINS = process.env.BENCH_BIN
  ? process.env.BENCH_BIN.split(',').map((p) => resolve(p))
  : [fileURLToPath(new URL('../dist/cli/bin.cjs', import.meta.url))];

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs a command with its stdout read (and counted in lines) by this process: wall seconds, CPU
 * seconds (user + system, through bash's `time`: less at the mercy of other load than the wall),
 * exit code, and peak RSS (VmHWM polled every 20 ms).
 */
export async function measure(command, args, { cwd, env, stdin } = {}) {
  const started = performance.now();
  const child = spawn('bash', ['-c', 'TIMEFORMAT="cpu %U %S"; time "$@"', 'bash', command, ...args], {
    cwd,
    env,
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (stdin !== undefined) child.stdin.end(stdin);
  let peakKiB = 0;
  const poll = setInterval(() => {
    try {
      // bash's child: the command itself.
      const pids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ');
      for (const pid of pids.filter(Boolean)) {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (match) peakKiB = Math.max(peakKiB, Number(match[1]));
      }
    } catch {}
  }, 20);
  let lines = 0;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    if (stdout.length < 65_536) stdout += chunk;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((done) => child.on('close', done));
  clearInterval(poll);
  const seconds = (performance.now() - started) / 1000;
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
  const cpuSeconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : Number.NaN;
  return { seconds, cpuSeconds, code, lines, stdout, peakMiB: peakKiB / 1024, stderr };
}

/** A child's environment of its own: a home with no config of the user's, hashlookup pointed at `vendorUrl`. */
export function benchEnv(home, vendorUrl) {
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    TI_CHECK_HASHLOOKUP_URL: vendorUrl,
    NODE_DISABLE_COMPILE_CACHE: '1',
  };
}

/** A new temporary home (listed in `homes`, for removal) whose config lifts hashlookup's limits: the fake has none. */
export function liftedHome(homes) {
  const home = mkdtempSync(join(tmpdir(), 'ti-check-bench-'));
  homes.push(home);
  writeFileSync(
    join(home, '.ti-checkrc.json'),
    JSON.stringify({
      services: { hashlookup: { rateLimit: { requests: 100_000, perSeconds: 1 }, concurrency: 32 } },
    }),
  );
  return home;
}

/** A local hashlookup that answers "not found" at once. */
export async function fakeHashlookup() {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Non existing SHA-1"}');
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/**
 * The fake hashlookup, on a thread of its own so that the bench's own work (reading the child's
 * output, polling its RSS) never slows it: a bare TCP server that answers every request it reads
 * with the same canned "not found" (keep-alive), so that it is never the bottleneck — node:http's
 * server costs about as much per request as the clients measured here.
 */
export async function fastFakeHashlookup() {
  const source = `
    const { createServer } = require('node:net');
    const { parentPort } = require('node:worker_threads');
    const body = '{"message":"Non existing SHA-1"}';
    const answer = Buffer.from('HTTP/1.1 404 NOT FOUND\\r\\ncontent-type: application/json\\r\\n' +
      'content-length: ' + body.length + '\\r\\nconnection: keep-alive\\r\\n\\r\\n' + body);
    const server = createServer((socket) => {
      let tail = '';
      socket.setNoDelay(true);
      socket.on('error', () => {});
      socket.on('data', (chunk) => {
        const text = tail + chunk.toString('latin1');
        let count = 0;
        let end = 0;
        for (let i = text.indexOf('\\r\\n\\r\\n'); i !== -1; i = text.indexOf('\\r\\n\\r\\n', i + 4)) {
          count++;
          end = i + 4;
        }
        tail = text.slice(end);
        if (count > 0) socket.write(count === 1 ? answer : Buffer.concat(Array(count).fill(answer)));
      });
    });
    server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
  `;
  const worker = new Worker(source, { eval: true });
  const port = await new Promise((done, fail) => {
    worker.once('message', done);
    worker.once('error', fail);
  });
  return { url: `http://127.0.0.1:${port}`, close: () => worker.terminate() };
}

/** A reference tool, installed from Debian's packages when missing (as root); false if it cannot be. */
export function ensureTool(binary, debianPackage = binary) {
  const has = () => spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0;
  if (has()) return true;
  if (process.getuid?.() === 0) {
    spawnSync('sh', ['-c', `apt-get update -qq && apt-get install -y -qq ${debianPackage}`], {
      stdio: 'ignore',
    });
  }
  return has();
}

/** `| what | ti-check | reference | ratio | target |`, the table every bench script ends with. */
export function printTable(rows) {
  console.log('\n| what | ti-check | reference | ratio | target |\n|---|---|---|---|---|');
  for (const row of rows) {
    console.log(
      `| ${row.what} | ${row.ours} | ${row.reference ?? '—'} | ${row.ratio ?? '—'} | ${row.target} |`,
    );
  }
}

export const ratio = (ours, reference) => `${(ours / reference).toFixed(2)}×`;
