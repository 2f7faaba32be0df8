// URLhaus API, "Query payload information" (POST /v1/payload/): https://urlhaus-api.abuse.ch/#payloadinfo
import { z } from 'zod';

const deliveryUrl = z.object({
  // Each row is a URL that served the payload: the value must be there.
  url: z.string(),
  url_status: z.string().nullish().catch(undefined),
  filename: z.string().nullish().catch(undefined),
});

/** `query_status: "ok"`: the payload and the malware URLs that delivered it. */
export const urlhausPayload = z.object({
  signature: z.string().nullish().catch(undefined),
  file_type: z.string().nullish().catch(undefined),
  urls: z.array(deliveryUrl),
});

export type UrlhausPayload = z.output<typeof urlhausPayload>;
