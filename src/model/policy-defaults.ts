/**
 * The verdict policy's defaults without its zod schema: ./policy.ts builds its schema from them, and
 * a run without a config file reads them without building it (src/config/defaults.ts).
 */

/** A multi-engine service says malicious when at least this many engines do. */
export const DEFAULT_MIN_MALICIOUS_ENGINES = 3;
