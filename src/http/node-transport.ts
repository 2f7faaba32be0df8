/**
 * The transport of runs without a proxy: Node's own `http` / `https` on keep-alive agents (16
 * sockets per origin, as the undici one). Node's HTTP stack is part of Node itself, compiled into
 * its snapshot: the first request of a run costs no module load, where undici's index costs
 * ~120 ms — a third of a one-hash lookup's time. Runs with HTTPS_PROXY / HTTP_PROXY set use the
 * undici transport, whose agent honours them and NO_PROXY (src/http/transport.ts decides).
 *
 * The response's events feed the same Exchange as undici's parser callbacks do, so both behave
 * alike: status and headers settle the promise, the body streams with backpressure, an abort
 * destroys the request at whatever stage, a reader that stops early drops the connection, a
 * discarded body is read away when small and closes the socket otherwise. (A Readable's own async
 * iterator would do, at about twice the CPU a lookup costs in a batch.)
 */
import type { Agent, ClientRequest, IncomingMessage } from 'node:http';
import { startExchange } from './exchange.js';
import type { TransportRequest, TransportResponse } from './wire.js';

/** Sockets per origin, as the undici agent's `connections`. */
const SOCKETS_PER_ORIGIN = 16;
/** How long a pooled socket may stay idle, as the undici agent's `keepAliveTimeout`. */
const IDLE_MS = 10_000;

interface Stack {
  request: typeof import('node:http').request;
  agent: Agent;
}
const stacks: { 'http:'?: Stack; 'https:'?: Stack } = {};

/**
 * The stack of a scheme, loaded by its first request, not at start-up: a run answered from the
 * cache needs neither module, and one that asks only http:// servers never loads TLS.
 */
function stackFor(protocol: string): Stack {
  const secure = protocol === 'https:';
  const scheme = secure ? 'https:' : 'http:';
  let stack = stacks[scheme];
  if (!stack) {
    const module = process.getBuiltinModule(secure ? 'node:https' : 'node:http');
    // An idle socket is dropped after IDLE_MS (or the server's shorter Keep-Alive hint), so that a
    // request is never sent on a connection the vendor has quietly closed meanwhile.
    const agent = new module.Agent({ keepAlive: true, maxSockets: SOCKETS_PER_ORIGIN, timeout: IDLE_MS });
    stack = { request: module.request, agent };
    stacks[scheme] = stack;
  }
  return stack;
}

export function nodeTransport(req: TransportRequest): Promise<TransportResponse> {
  return new Promise<TransportResponse>((resolve, reject) => {
    const exchange = startExchange(req, resolve, reject);
    if (!exchange) return;
    const stack = stackFor(req.url.protocol);
    let response: IncomingMessage | undefined;
    const request: ClientRequest = stack.request(
      {
        agent: stack.agent,
        protocol: req.url.protocol,
        // URL keeps an IPv6 literal's brackets; Node's request wants the bare address.
        hostname: req.url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: req.url.port || undefined,
        path: `${req.url.pathname}${req.url.search}`,
        method: req.method,
        headers: req.headers,
      },
      (res) => {
        response = res;
        exchange.onHeaders(res.statusCode ?? 0, res.rawHeaders, () => res.resume());
        res.on('data', (chunk: Buffer) => {
          if (!exchange.onData(chunk)) res.pause();
        });
        res.on('end', () => exchange.onComplete());
        res.on('error', (error) => exchange.onError(error));
        // Closed before its end (the socket went): an error, never a short body read as whole.
        res.on('close', () => {
          if (!res.complete) exchange.onError(res.errored ?? new Error('connection closed mid-answer'));
        });
      },
    );
    // Before the answer the request goes; during its body the answer does.
    exchange.onConnect((error) => (response ?? request).destroy(error));
    request.on('error', (error) => exchange.onError(error));
    request.end(req.body);
  });
}

/** Every pooled socket dropped at the end of the run, so that the process ends at once. */
export function closeNodeAgents(): void {
  stacks['http:']?.agent.destroy();
  stacks['https:']?.agent.destroy();
  delete stacks['http:'];
  delete stacks['https:'];
}
