/** Messages between the store and its write thread, and the values they carry. */
import type { InStatement } from '@libsql/client';

/** Rows and change count of one statement, as far as the write code reads them. */
export interface WriteResult {
  rows: ArrayLike<unknown>[];
  rowsAffected: number;
}

export interface WriteThreadData {
  url: string;
  busyTimeoutMs: number;
}

export type WriteRequest = { type: 'batch'; id: number; statements: InStatement[] } | { type: 'close' };

export type WriteReply =
  | { type: 'ready' }
  | { type: 'closed' }
  | { type: 'failed'; error: SerializedError }
  | { type: 'result'; id: number; results: WriteResult[] }
  | { type: 'error'; id: number; error: SerializedError; reconnectError?: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

/** Copies the name, message and SQLite code of `error` into a value a message can carry. */
export function serializeError(error: unknown): SerializedError {
  const { name = 'Error', message = String(error), code } = (error ?? {}) as { name?: string; message?: string; code?: unknown };
  return { name, message, ...(typeof code === 'string' ? { code } : {}) };
}

