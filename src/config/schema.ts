/** The shape of a ti-check config file (cosmiconfig module name `ti-check`). */
import { z } from 'zod';

const positiveSeconds = z.number().positive().max(3600);

export const serviceConfigSchema = z
  .object({
    enabled: z.boolean().optional(),
    apiKey: z.string().min(1).optional(),
    baseUrl: z
      .string()
      .refine((value) => URL.canParse(value), 'expected an absolute URL')
      .optional(),
    /** Seconds. */
    timeout: positiveSeconds.optional(),
  })
  .strict();

export const policySchema = z
  .object({
    /** A multi-engine service says malicious when at least this many engines do. */
    minMaliciousEngines: z.number().int().min(1).default(3),
  })
  .strict();

export const configSchema = z
  .object({
    services: z.record(z.string(), serviceConfigSchema).default({}),
    policy: policySchema.default({ minMaliciousEngines: 3 }),
    /** Default per-service timeout in seconds. */
    timeout: positiveSeconds.default(20),
  })
  .strict();

export type ServiceConfig = z.infer<typeof serviceConfigSchema>;
export type Policy = z.infer<typeof policySchema>;
export type Config = z.infer<typeof configSchema>;

export const DEFAULT_POLICY: Policy = policySchema.parse({});
