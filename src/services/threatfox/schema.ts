// ThreatFox API, "Search IOCs by file hash" (query search_hash): https://threatfox.abuse.ch/api/#search-hash
import { z } from 'zod';

const ioc = z.object({
  // Each IOC row is what makes the sample malicious: its value must be there.
  ioc: z.string(),
  malware_printable: z.string().nullish().catch(undefined),
  threat_type: z.string().nullish().catch(undefined),
  confidence_level: z.number().nullish().catch(undefined),
});

/** `query_status: "ok"`: the IOCs linked to the sample. */
export const threatfoxIocs = z.object({ data: z.array(ioc) }).transform((answer) => answer.data);

export type ThreatfoxIoc = z.output<typeof ioc>;
