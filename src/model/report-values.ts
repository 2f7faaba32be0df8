/**
 * The report model's lists of values and its schema version, without the zod schemas of
 * ./report.ts that are built from them: code on the way to a run's first request reads these, and
 * building the report schemas is left to what needs them (reading a cached answer, a baseline).
 */

export const CATEGORIES = ['malicious', 'suspicious', 'clean', 'undetected'] as const;

export const STATUSES = ['found', 'not_found', 'disabled', 'unsupported', 'error'] as const;

export const HASH_TYPES = ['md5', 'sha1', 'sha256'] as const;

/** Which policy rule produced a service's verdict. */
export const SERVICE_RULES = [
  /** The vendor's own verdict (sandbox, repository, reputation, known-good list). */
  'vendor-verdict',
  /** At least `minMaliciousEngines` engines (and `minDetectionRatio` of them, when set) said malicious. */
  'engine-threshold',
  /** One of `trustedEngines` said malicious. */
  'trusted-engine',
  /** Some engines flagged the file, below the malicious bar. */
  'below-threshold',
  /** No engine flagged the file (clean when one affirmed it). */
  'no-detections',
  /** The service is in `ignoreServices`: its verdict does not count. */
  'ignored-service',
] as const;
/** Which policy rule produced a file's verdict. */
export const TARGET_RULES = [
  /** The most severe verdict among the services that found the file (and count). */
  'worst-service',
  /** Services answered, none found the hash. */
  'not-found',
  /** No service could answer at all. */
  'no-answer',
  /** The hash is on the `--allow` list: a known false positive. */
  'allow-list',
] as const;

/** The JSON contract's version (`schemaVersion` of a report). */
export const SCHEMA_VERSION = 1;
