/**
 * A tiny authoritative DNS responder on 127.0.0.1 for tests: answers TXT for the names it is given,
 * NXDOMAIN for every other name, and can be told to fail (SERVFAIL) or stay silent (timeouts).
 * Only what the tests need of RFC 1035: one question per query, no compression on input.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export type DnsBehaviour = 'answer' | 'servfail' | 'silent';

export interface TestDnsServer {
  /** `dns://127.0.0.1:<port>`, ready for createServiceDns({ server }). */
  url: string;
  /** TXT records by lower-case name; each record is a list of character-strings. */
  txt: Map<string, string[][]>;
  behaviour: DnsBehaviour;
  /** Names asked, in order. */
  queries: string[];
  close(): Promise<void>;
}

const TYPE_TXT = 16;
const CLASS_IN = 1;
const RCODE_NXDOMAIN = 3;
const RCODE_SERVFAIL = 2;

export async function startDnsServer(): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  const server: TestDnsServer = {
    url: '',
    txt: new Map(),
    behaviour: 'answer',
    queries: [],
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (message, remote) => {
    const query = parseQuery(message);
    if (!query) return;
    server.queries.push(query.name);
    if (server.behaviour === 'silent') return;
    const reply = respond(server, message, query);
    socket.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  server.url = `dns://127.0.0.1:${(socket.address() as AddressInfo).port}`;
  return server;
}

/** A local UDP port nobody listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

interface Query {
  name: string;
  type: number;
  /** Offset just past the question section. */
  end: number;
}

function parseQuery(message: Buffer): Query | undefined {
  if (message.length < 12) return undefined;
  const labels: string[] = [];
  let offset = 12;
  for (;;) {
    const length = message[offset];
    if (length === undefined) return undefined;
    offset += 1;
    if (length === 0) break;
    labels.push(message.toString('ascii', offset, offset + length));
    offset += length;
  }
  if (offset + 4 > message.length) return undefined;
  return { name: labels.join('.').toLowerCase(), type: message.readUInt16BE(offset), end: offset + 4 };
}

function respond(server: TestDnsServer, message: Buffer, query: Query): Buffer {
  const question = message.subarray(12, query.end);
  const records = server.txt.get(query.name);
  let rcode = 0;
  let answers: Buffer[] = [];
  if (server.behaviour === 'servfail') rcode = RCODE_SERVFAIL;
  else if (!records) rcode = RCODE_NXDOMAIN;
  else if (query.type === TYPE_TXT) answers = records.map(txtRecord);
  // A known name asked for another type: NOERROR with no answers (NODATA).

  const header = Buffer.alloc(12);
  header.writeUInt16BE(message.readUInt16BE(0), 0); // id
  const recursionDesired = message.readUInt16BE(2) & 0x0100;
  header.writeUInt16BE(0x8000 | 0x0400 | recursionDesired | 0x0080 | rcode, 2); // QR AA RD RA RCODE
  header.writeUInt16BE(1, 4); // QDCOUNT
  header.writeUInt16BE(answers.length, 6); // ANCOUNT
  return Buffer.concat([header, question, ...answers]);
}

function txtRecord(strings: string[]): Buffer {
  const rdata = Buffer.concat(
    strings.map((text) => {
      const bytes = Buffer.from(text, 'utf8');
      return Buffer.concat([Buffer.from([bytes.length]), bytes]);
    }),
  );
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0); // pointer to the question's name
  fixed.writeUInt16BE(TYPE_TXT, 2);
  fixed.writeUInt16BE(CLASS_IN, 4);
  fixed.writeUInt32BE(300, 6); // TTL
  fixed.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([fixed, rdata]);
}

/** One responder for a test file, started before its tests, reset before each, closed after. */
export function useDnsServer(): () => TestDnsServer {
  let server: TestDnsServer | undefined;
  beforeAll(async () => {
    server = await startDnsServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    if (!server) return;
    server.txt.clear();
    server.behaviour = 'answer';
    server.queries.length = 0;
  });
  return () => {
    if (!server) throw new Error('the DNS responder is not started yet');
    return server;
  };
}
