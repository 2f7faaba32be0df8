// Placeholder until the DNS client lands with the Team Cymru adapter.
import { UnavailableError } from '../errors.js';
import type { DnsClient } from './types.js';

export interface ServiceDnsOptions {
  server: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export function createServiceDns(_options: ServiceDnsOptions): DnsClient {
  return { txt: () => Promise.reject(new UnavailableError('DNS lookups are not available yet')) };
}
