/**
 * The ingest lock of a `file:` database: an open write transaction on a small SQLite file next
 * to it (`<database>-ingest`). SQLite's file lock belongs to the open connection, and the
 * operating system drops it when the process ends, even on SIGKILL. A free lock therefore
 * proves that no live process on this machine ingests into the database, at once and without
 * probing process ids.
 */
import type { Client, Transaction } from '@libsql/client';
import { loadDriver, type ModuleImporter } from './driver.ts';

export interface IngestLock {
  readonly path: string;
  /** Ends the transaction and closes the file, so the next process can take the lock. */
  release(): void;
}

/** Returns the lock file of the database at `databasePath`. */
export function ingestLockPath(databasePath: string): string {
  return `${databasePath}-ingest`;
}

/** Takes the ingest lock of the database at `databasePath`, or returns null when a live connection holds it. */
export async function takeIngestLock(databasePath: string, importer?: ModuleImporter): Promise<IngestLock | null> {
  const path = ingestLockPath(databasePath);
  const createClient = await loadDriver('file', importer);
  // timeout 0: a held lock fails at once with SQLITE_BUSY instead of waiting for its holder.
  const client: Client = createClient({ url: `file:${path}`, concurrency: 1, timeout: 0 });
  let transaction: Transaction;
  try {
    transaction = await client.transaction('write');
  } catch (error) {
    client.close();
    if (String((error as { code?: unknown } | null)?.code).startsWith('SQLITE_BUSY')) return null;
    throw error;
  }
  return {
    path,
    release() {
      transaction.close();
      client.close();
    },
  };
}
