/**
 * Entry point of the write thread: opens its own connection to the `file:` database and runs
 * each batch of statements in one write transaction, one batch at a time, in arrival order.
 */
import { RecoveryError, serveRequests } from '../runtime/worker-requests.ts';
import { applyFilePragmas, openConnection } from './connection.ts';
import type { WriteRequest, WriteResult, WriteThreadData } from './write-protocol.ts';

/**
 * Page cache of the write connection, in KiB. The bench workload was written as fast with
 * 8 MiB as with the reading connection's 32 MiB, and every cached page stays in the process's
 * memory as the database grows, so the write connection keeps the smaller cache.
 */
const WRITE_CACHE_KIB = 8 * 1024;

await serveRequests<WriteThreadData, WriteRequest, WriteResult[]>(async (data) => {
  const { client } = await openConnection({ url: data.url, busyTimeoutMs: data.busyTimeoutMs, createFolder: false, cacheKib: WRITE_CACHE_KIB });
  return {
    async handle(statements) {
      try {
        const results = await client.batch(statements, 'write');
        return results.map((result) => ({ rows: result.rows.map((row) => Array.from(row)), rowsAffected: result.rowsAffected }));
      } catch (error) {
        // With @libsql/client 0.18.0 a failed statement stays active and blocks every later
        // COMMIT on the connection until it is finalized; reopening the connection does that.
        try {
          await client.reconnect();
          await applyFilePragmas(client, null, WRITE_CACHE_KIB);
        } catch (cause) {
          throw new RecoveryError(error, { message: 'write thread could not reopen its connection after a failed write', error: cause });
        }
        throw error;
      }
    },
    close() {
      client.close();
    },
  };
});
