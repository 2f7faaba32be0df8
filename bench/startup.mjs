#!/usr/bin/env node
// Start-up and exit: issue 10's first three rows, each against `node -e 0` in the same run,
// alternately, BENCH_RUNS times (default 5), medians (wall time; peak RSS for ours):
//   1. `ti-check --version`                                      target ≤ 1.5× node -e 0
//   2. `--hash <sha256> --json --offline`, 10 services cached     target ≤ 2.5× node -e 0
//   3. one lookup, 10 services each answering after 200 ms        target ≤ 50 ms over --version + 200 ms
//      (with when its first request came, and how long it ran after the last answer went)
// The 10 services are built-ins pointed at a local fake (their documented TI_CHECK_<ID>_URL) that
// answers each with the service's recorded "found" fixture after DELAY_MS.
// Run with `npm run build && node bench/startup.mjs`; BENCH_BIN=a/bin.js,b/bin.js compares builds.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BINS, measure, median, printTable, RUNS, ratio } from './lib.mjs';

const DELAY_MS = 200;
const SERVICES = [
  'virustotal',
  'malwarebazaar',
  'threatfox',
  'yaraify',
  'metadefender',
  'hybridanalysis',
  'filescan',
  'virusshare',
  'polyswarm',
  'opentip',
];
const SHA256 = '4f0913aea447d726ac42908d27b8305de18f0cd64422d69b4d21c74f8b33e46c';
const fixtures = new URL('../fixtures/', import.meta.url);
const bodies = new Map(SERVICES.map((s) => [s, readFileSync(new URL(`${s}/found.json`, fixtures))]));
// When the requests of the run being measured came, and when the last answer went (performance.now()).
const wire = { arrivals: [], lastAnswer: 0 };
const server = createServer((req, res) => {
  wire.arrivals.push(performance.now());
  req.resume();
  const body = bodies.get((req.url ?? '').split('/')[1] ?? '');
  setTimeout(() => {
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(body ?? '{}');
    wire.lastAnswer = performance.now();
  }, DELAY_MS);
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const url = `http://127.0.0.1:${server.address().port}`;

const home = mkdtempSync(join(tmpdir(), 'ti-check-startup-'));
try {
  const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config') };
  for (const s of SERVICES) {
    env[`TI_CHECK_${s.toUpperCase()}_URL`] = `${url}/${s}`;
    env[`TI_CHECK_${s.toUpperCase()}_KEY`] = 'bench-key-0123456789';
  }
  const services = ['--services', SERVICES.join(',')];
  // Each build its own cache folder, V8's code cache included: builds that share a chunk (same
  // name) under different V8 flags would otherwise keep replacing each other's cached code.
  const cacheOf = (b) => ({ ...env, XDG_CACHE_HOME: join(home, `cache-${b}`) });
  const commands = {
    node: () => measure(process.execPath, ['-e', '0'], { cwd: home, env }),
    version: (b) => measure(process.execPath, [BINS[b], '--version'], { cwd: home, env: cacheOf(b) }),
    offline: (b) =>
      measure(process.execPath, [BINS[b], '--hash', SHA256, '--json', '--offline'], {
        cwd: home,
        env: cacheOf(b),
      }),
    // Also where the overhead lies: before the first request left, or after the last answer came.
    lookup: async (b) => {
      wire.arrivals = [];
      const started = performance.now();
      const run = await measure(
        process.execPath,
        [BINS[b], '--hash', SHA256, '--json', '--no-cache', ...services],
        { cwd: home, env: cacheOf(b) },
      );
      const ended = started + run.seconds * 1000;
      return { ...run, firstRequestMs: wire.arrivals[0] - started, afterAnswersMs: ended - wire.lastAnswer };
    },
  };
  // Each build's cache filled once (the offline row answers from it), and each command checked.
  for (const b of BINS.keys()) {
    const fill = await measure(process.execPath, [BINS[b], '--hash', SHA256, '--json', ...services], {
      cwd: home,
      env: cacheOf(b),
    });
    const found = JSON.parse(fill.stdout).results[0].services.filter((s) => s.status === 'found').length;
    if (found !== SERVICES.length)
      throw new Error(`${found} of ${SERVICES.length} services found it\n${fill.stderr}`);
    const offline = await commands.offline(b);
    if (!offline.stdout.includes('"cached": true'))
      throw new Error(`offline run not cached\n${offline.stderr}`);
  }
  const node = [];
  const ours = BINS.map(() => ({ version: [], offline: [], lookup: [] }));
  for (let i = -1; i < RUNS; i++) {
    const n = await commands.node();
    if (i >= 0) node.push(n);
    for (const b of BINS.keys()) {
      for (const what of ['version', 'offline', 'lookup']) {
        const run = await commands[what](b);
        if (what === 'version' ? run.code !== 0 : run.code !== 1) {
          throw new Error(`${what}: exit ${run.code}\n${run.stderr}`);
        }
        if (i >= 0) ours[b][what].push(run);
      }
    }
  }

  const ms = (runs) => median(runs.map((r) => r.seconds)) * 1000;
  const mib = (runs) => median(runs.map((r) => r.peakMiB)).toFixed(0);
  const phase = (runs, key) => median(runs.map((r) => r[key])).toFixed(0);
  const nodeMs = ms(node);
  const rows = [];
  for (const [b, bin] of BINS.entries()) {
    const which = BINS.length > 1 ? ` (${bin})` : '';
    const version = ms(ours[b].version);
    const offline = ms(ours[b].offline);
    const lookup = ms(ours[b].lookup);
    rows.push(
      {
        what: `\`ti-check --version\` vs \`node -e 0\`${which}`,
        ours: `${version.toFixed(0)} ms, ${mib(ours[b].version)} MiB`,
        reference: `${nodeMs.toFixed(0)} ms`,
        ratio: ratio(version, nodeMs),
        target: '≤ 1.5×',
      },
      {
        what: `cached \`--hash <sha256> --json --offline\` (10 services cached) vs \`node -e 0\`${which}`,
        ours: `${offline.toFixed(0)} ms, ${mib(ours[b].offline)} MiB`,
        reference: `${nodeMs.toFixed(0)} ms`,
        ratio: ratio(offline, nodeMs),
        target: '≤ 2.5×',
      },
      {
        what: `one lookup, 10 services each answering after ${DELAY_MS} ms${which}`,
        ours:
          `${lookup.toFixed(0)} ms, ${mib(ours[b].lookup)} MiB: ${(lookup - version - DELAY_MS).toFixed(0)} ms over --version + ${DELAY_MS} ms ` +
          `(first request after ${phase(ours[b].lookup, 'firstRequestMs')} ms, exit ${phase(ours[b].lookup, 'afterAnswersMs')} ms after the last answer)`,
        reference: `${DELAY_MS} ms`,
        target: '≤ 50 ms overhead',
      },
    );
  }
  console.log(`${RUNS} runs each, alternately, on ${cpus().length} CPUs, Node ${process.version}`);
  printTable(rows);
} finally {
  server.close();
  rmSync(home, { recursive: true, force: true });
}
