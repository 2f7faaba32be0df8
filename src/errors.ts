/**
 * The error hierarchy. Only the CLI entry turns these into words and exit codes;
 * everything below it throws and lets the run decide what becomes an error row.
 */
export class TiCheckError extends Error {
  override name = 'TiCheckError';
}

/** A config file or environment value that does not fit the schema. Exit code 2. */
export class ConfigError extends TiCheckError {
  override name = 'ConfigError';
}

/** A bad argument, hash or path from the user. Exit code 2. */
export class InputError extends TiCheckError {
  override name = 'InputError';
}

/** The stable `error.code` values of the JSON contract. */
export type ServiceErrorCode =
  | 'auth'
  | 'rate_limited'
  | 'unavailable'
  | 'timeout'
  | 'bad_response'
  | 'network';

/** A vendor that could not answer. Becomes a red error row; never stops the other services. */
export abstract class ServiceError extends TiCheckError {
  abstract readonly code: ServiceErrorCode;
}

export class AuthError extends ServiceError {
  override name = 'AuthError';
  readonly code = 'auth';
}

export class RateLimitError extends ServiceError {
  override name = 'RateLimitError';
  readonly code = 'rate_limited';
  constructor(
    message: string,
    /** Seconds the vendor asked us to wait, when it said. */
    readonly retryAfterSeconds?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class UnavailableError extends ServiceError {
  override name = 'UnavailableError';
  readonly code = 'unavailable';
  constructor(
    message: string,
    /** Seconds a 503 asked us to wait (maintenance), when it said. */
    readonly retryAfterSeconds?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class TimeoutError extends ServiceError {
  override name = 'TimeoutError';
  readonly code = 'timeout';
}

/** Not JSON, or JSON that no longer matches the vendor schema: never read as "not found". */
export class BadResponseError extends ServiceError {
  override name = 'BadResponseError';
  readonly code = 'bad_response';
}

export class NetworkError extends ServiceError {
  override name = 'NetworkError';
  readonly code = 'network';
}
