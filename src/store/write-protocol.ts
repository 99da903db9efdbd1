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

/** Statements to run in one write transaction. */
export type WriteRequest = InStatement[];
