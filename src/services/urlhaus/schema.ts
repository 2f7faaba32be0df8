// URLhaus API, "Query payload information" (POST /v1/payload/): https://urlhaus-api.abuse.ch/#payloadinfo
import { z } from 'zod';
import { looseOrUndefined } from '../schema-kit.js';

const deliveryUrl = z.object({
  // Each row is a URL that served the payload: the value must be there.
  url: z.string(),
  url_status: looseOrUndefined(z.string()),
  filename: looseOrUndefined(z.string()),
});

/** `query_status: "ok"`: the payload and the malware URLs that delivered it. */
export const urlhausPayload = z.object({
  signature: looseOrUndefined(z.string()),
  file_type: looseOrUndefined(z.string()),
  urls: z.array(deliveryUrl),
});

export type UrlhausPayload = z.output<typeof urlhausPayload>;
