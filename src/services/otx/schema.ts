// AlienVault OTX DirectConnect API, indicator details: https://otx.alienvault.com/api (indicators/file/{hash}/general)
import { z } from 'zod';
import { listOrEmpty, looseOrUndefined } from '../schema-kit.js';

/** Pulses name families as `{ id, display_name }` objects; `related` lists plain strings. */
const family = z
  .union([z.string(), z.object({ display_name: z.string().nullish(), id: z.string().nullish() })])
  .transform((value) => (typeof value === 'string' ? value : (value.display_name ?? value.id ?? '')))
  .catch('');

const families = listOrEmpty(family).transform((list) => list.filter((name) => name.length > 0));

const pulse = z.object({
  // The pulse's existence decides the verdict: it must be there and be named.
  name: z.string(),
  id: looseOrUndefined(z.string()),
  tags: looseOrUndefined(z.array(z.string())),
  malware_families: families.catch([]),
});

const relatedGroup = looseOrUndefined(z.object({ malware_families: families }));

export const otxGeneral = z.object({
  pulse_info: z.object({
    count: z.number().int().nonnegative(),
    pulses: z.array(pulse),
    // Older answers have no `related`; newer ones carry families here too.
    related: looseOrUndefined(z.object({ alienvault: relatedGroup, other: relatedGroup })),
  }),
});

export type OtxGeneral = z.output<typeof otxGeneral>;
