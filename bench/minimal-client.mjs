// The reference for bench/run.mjs: the least a program can do to ask hashlookup about every hash on
// stdin. node:http with one keep-alive agent, 32 requests in flight, the same URLs ti-check asks
// (GET <TI_CHECK_HASHLOOKUP_URL>/lookup/sha1/<hash>), each body read whole and parsed as JSON, one
// NDJSON line out per answer, written 64 KiB at a time. No cache, no validation, no retries.
import { Agent, request } from 'node:http';

const IN_FLIGHT = 32;
const base = new URL(process.env.TI_CHECK_HASHLOOKUP_URL ?? 'http://127.0.0.1:8080');
const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

let out = '';
const emit = (line) => {
  out += line;
  if (out.length >= 65_536) {
    process.stdout.write(out);
    out = '';
  }
};

function ask(hash) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path: `/lookup/sha1/${hash}`,
        headers: { accept: 'application/json', 'user-agent': 'minimal-client' },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          emit(`${JSON.stringify({ sha1: hash, status: res.statusCode, body })}\n`);
          resolve();
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

// The whole list first, then 32 workers taking the next hash as they finish.
let input = '';
for await (const chunk of process.stdin.setEncoding('utf8')) input += chunk;
const hashes = input
  .split('\n')
  .map((line) => line.split(/\s/, 1)[0])
  .filter(Boolean);
let next = 0;
const worker = async () => {
  while (next < hashes.length) await ask(hashes[next++]);
};
await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
process.stdout.write(out);
agent.destroy();
