/** The opaque page cursor of post listings: the (time_us, id) position of the last row served. */
import { Buffer } from 'node:buffer';
import { StoreError } from './errors.ts';

export interface KeysetPosition {
  timeUs: number;
  id: number;
}

export function encodeKeyset(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.timeUs, position.id])).toString('base64url');
}

export function decodeKeyset(cursor: string): KeysetPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || !parsed.every((value) => Number.isSafeInteger(value))) {
    throw new StoreError('INVALID_CURSOR', `The page cursor ${JSON.stringify(cursor.slice(0, 100))} is invalid; pass the "next" value of the previous page unchanged.`);
  }
  return { timeUs: parsed[0], id: parsed[1] };
}
