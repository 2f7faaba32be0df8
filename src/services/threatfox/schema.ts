// ThreatFox API, "Search IOCs by file hash" (query search_hash): https://threatfox.abuse.ch/api/#search-hash
import { z } from 'zod';
import { looseOrUndefined } from '../schema-kit.js';

const ioc = z.object({
  // Each IOC row is what makes the sample malicious: its value must be there.
  ioc: z.string(),
  malware_printable: looseOrUndefined(z.string()),
  threat_type: looseOrUndefined(z.string()),
  confidence_level: looseOrUndefined(z.number()),
});

/** `query_status: "ok"`: the IOCs linked to the sample. */
export const threatfoxIocs = z.object({ data: z.array(ioc) }).transform((answer) => answer.data);

export type ThreatfoxIoc = z.output<typeof ioc>;
