/**
 * The one error type the store throws on purpose. `code` is stable, so callers (the HTTP
 * routes) can map it to a status without parsing messages: codes starting with `INVALID_` or
 * equal to `RANGE_TOO_LARGE` describe a bad request, the others a broken set-up.
 */
export type StoreErrorCode =
  | 'INVALID_QUERY'
  | 'INVALID_CURSOR'
  | 'INVALID_KEYWORD'
  | 'RANGE_TOO_LARGE'
  | 'CONNECT_FAILED'
  | 'NATIVE_BINDING_MISSING'
  | 'SCHEMA_TOO_NEW'
  | 'SCHEMA_TOO_OLD'
  | 'STORE_CLOSED'
  | 'READ_ONLY'
  | 'INGEST_LEASE_HELD'
  | 'INGEST_LEASE_LOST';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  /** True when no retry can succeed: the consumer stops instead (see `isPermanentFailure`). */
  readonly permanent: boolean;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
    this.permanent = code === 'INGEST_LEASE_LOST';
  }
}

/** Whether `error` is a `StoreError` caused by the caller's input rather than by the database. */
export function isStoreInputError(error: unknown): error is StoreError {
  return error instanceof StoreError && (error.code.startsWith('INVALID_') || error.code === 'RANGE_TOO_LARGE');
}
