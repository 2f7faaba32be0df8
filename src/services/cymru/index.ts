// Team Cymru Malware Hash Registry (MHR), queried over DNS: https://www.team-cymru.com/mhr

import { checkAnswer } from '../../http/client.js';
import type { Category } from '../../model/report.js';
import { loadSchemas } from '../kit.js';
import { defineService, type Finding } from '../types.js';
import type { MhrAnswer } from './schema.js';

/** The zod schemas, loaded by the first lookup (see loadSchemas in ../kit.ts). */
const schemas = loadSchemas(() => import('./schema.js'));

/** At or above this AV detection rate the registry's answer reads as malicious; below, suspicious. */
export const MALICIOUS_RATE = 25;

export const cymru = defineService({
  id: 'cymru',
  displayName: 'Team Cymru MHR',
  kind: 'reputation',
  // The registry is keyed by MD5 and SHA-1 only.
  hashTypes: ['sha1', 'md5'],
  auth: { key: 'none' },
  // The system resolver; TI_CHECK_CYMRU_URL=dns://<ip>:<port> asks another server.
  baseUrl: 'dns:',
  // Team Cymru documents no query limit for the DNS interface; one query a second is a
  // conservative pick that a bulk run through a shared resolver will not notice.
  rateLimit: { requests: 1, perSeconds: 1, source: 'https://www.team-cymru.com/mhr', basis: 'conservative' },
  docs: 'https://www.team-cymru.com/mhr',
  // There is no per-hash page: link the registry's documentation.
  link: () => 'https://www.team-cymru.com/mhr',
  async lookup(hash, ctx) {
    const records = await ctx.dns.txt(`${hash.value}.malware.hash.cymru.com`);
    // NXDOMAIN (or no TXT record): the registry does not list the hash.
    if (records === null || records.length === 0) return null;
    return toFinding(await parseAnswer(records));
  },
});

async function parseAnswer(records: string[]): Promise<MhrAnswer> {
  const { mhrAnswer } = await schemas();
  return checkAnswer(mhrAnswer, records[0]);
}

export function toFinding(answer: MhrAnswer): Finding {
  const category: Category = answer.detectionRate >= MALICIOUS_RATE ? 'malicious' : 'suspicious';
  const lastSeen = answer.lastSeen.toISOString().slice(0, 10);
  return {
    entries: [
      {
        name: 'Malware Hash Registry',
        category,
        detail: `${answer.detectionRate}% AV detection · last seen ${lastSeen}`,
      },
    ],
    verdict: category,
    summary: `listed · ${answer.detectionRate}% AV detection · last seen ${lastSeen}`,
  };
}
