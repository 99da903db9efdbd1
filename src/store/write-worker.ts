/**
 * Entry point of the write thread: opens its own connection to the `file:` database and runs
 * each batch of statements in one write transaction, one batch at a time, in arrival order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { applyFilePragmas, openConnection } from './connection.ts';
import { serializeError, type SerializedError, type WriteReply, type WriteRequest, type WriteThreadData } from './write-protocol.ts';

/**
 * Page cache of the write connection, in KiB. The bench workload was written as fast with
 * 8 MiB as with the reading connection's 32 MiB, and every cached page stays in the process's
 * memory as the database grows, so the write connection keeps the smaller cache.
 */
const WRITE_CACHE_KIB = 8 * 1024;

const port = parentPort!;
const data = workerData as WriteThreadData;
const reply = (message: WriteReply) => port.postMessage(message);

try {
  const { client } = await openConnection({ url: data.url, busyTimeoutMs: data.busyTimeoutMs, createFolder: false, cacheKib: WRITE_CACHE_KIB });
  let queue: Promise<void> = Promise.resolve();

  port.on('message', (request: WriteRequest) => {
    queue = queue.then(async () => {
      if (request.type === 'close') {
        client.close();
        reply({ type: 'closed' });
        return;
      }
      try {
        const results = await client.batch(request.statements, 'write');
        reply({
          type: 'result',
          id: request.id,
          results: results.map((result) => ({ rows: result.rows.map((row) => Array.from(row)), rowsAffected: result.rowsAffected })),
        });
      } catch (error) {
        // With @libsql/client 0.18.0 a failed statement stays active and blocks every later
        // COMMIT on the connection until it is finalized; reopening the connection does that.
        let reconnectError: SerializedError | undefined;
        try {
          await client.reconnect();
          await applyFilePragmas(client, null, WRITE_CACHE_KIB);
        } catch (cause) {
          reconnectError = serializeError(cause);
        }
        reply({ type: 'error', id: request.id, error: serializeError(error), ...(reconnectError ? { reconnectError } : {}) });
      }
    });
  });
  reply({ type: 'ready' });
} catch (error) {
  reply({ type: 'failed', error: serializeError(error) });
}
