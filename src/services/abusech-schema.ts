import { z } from 'zod';

/** Every answer says how the query went; it decides found / not found / error, so it is required. */
export const statusSchema = z.object({ query_status: z.string() });
