/**
 * The libSQL store: opens the database, migrates it, commits ingest batches with their cursor,
 * keeps label totals in memory for `/api/stats`, prunes old rows and serves history queries.
 *
 * Writer mode (INGEST=true) migrates and runs retention. With a `file:` database its writes run
 * on a write thread, on their own connection, so SQLite works on one batch while the main
 * thread scores the next. Reader mode (INGEST=false, extra web processes on the same file) only
 * reads; its totals are refreshed from the database on a timer.
 */
import type { Client } from '@libsql/client';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/logger.ts';
import type { Hub } from '../hub/hub.ts';
import type { HubEvents, IngestBatch } from '../hub/events.ts';
import { StoreError } from './errors.ts';
import type { ModuleImporter } from './driver.ts';
import { applyFilePragmas, openConnection, redactUrl } from './connection.ts';
import { SCHEMA_VERSION, checkReadable, migrate, readSchemaVersion } from './migrations.ts';
import { addLabels, createBatchWriter } from './batch-writer.ts';
import { pruneChunk, pruneRollups } from './retention.ts';
import { countPosts, exportPosts, labelTotals, listPosts, topPosts } from './queries.ts';
import { timeseries } from './timeseries.ts';
import { createSerialQueue, sleep } from './sleep.ts';
import { WriteThread, type BatchRunner } from './write-thread.ts';
import { IngestLease, type LeaseTimings } from './ingest-lease.ts';
import { takeIngestLock } from './ingest-lock.ts';
import type { PostTotals, StoreQueries } from './types.ts';

export { StoreError, isStoreInputError } from './errors.ts';

const DAY_MS = 86_400_000;

export interface StoreOptions {
  config: Config;
  logger: Logger;
  /** Clock in milliseconds since the epoch, used for retention and default windows. */
  now?: () => number;
  /** Open without migrations, retention or writes. @default !config.INGEST */
  reader?: boolean;
  /** Called after each committed batch with its duration and effect count. */
  onBatchWritten?: (durationSeconds: number, effectCount: number) => void;
  /** Interval between retention runs; 0 disables the timer. @default 60000 */
  pruneIntervalMs?: number;
  /** Posts removed per retention transaction. @default 1000 */
  pruneChunkSize?: number;
  /** Interval at which a reader reloads its totals from the database. @default 5000 */
  totalsRefreshMs?: number;
  /** Backoff of retried batch writes. @default 50 and 5000 */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Module loader of the libSQL driver; tests pass one that fails. */
  importer?: ModuleImporter;
  /** Write a `file:` database from a worker thread. @default true */
  writeThread?: boolean;
  /** Timings of the ingest lease a writer holds. @default 30 s to live, renewed every 10 s */
  lease?: Partial<LeaseTimings>;
}

export interface PruneResult {
  posts: number;
  rollupMinutes: number;
}

export interface Store extends StoreQueries {
  readonly client: Client;
  /** Whether this store was opened in reader mode. */
  readonly reader: boolean;
  /** Subscribes the store to the hub's `batch` events; publishing resolves once durable. */
  attach(hub: Hub<HubEvents>): void;
  /** Commits one batch and its cursor in one transaction (one attempt; rejects on failure). */
  applyBatch(batch: IngestBatch): Promise<void>;
  readCursor(): Promise<number | null>;
  /** Posts stored now by label, kept in memory (never touches the database). */
  totals(): PostTotals;
  /** Runs a trivial query; rejects when the database is unreachable. */
  ping(): Promise<void>;
  /** Runs retention once at time `now` (defaults to the clock). */
  pruneOnce(now?: number): Promise<PruneResult>;
  /** Effects rejected as malformed since the store opened. */
  rejectedEffects(): number;
  close(): Promise<void>;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const { config, logger, now = Date.now } = options;
  const reader = options.reader ?? !config.INGEST;
  const url = config.DATABASE_URL;
  const connection = await openConnection({
    url,
    authToken: config.DATABASE_AUTH_TOKEN,
    busyTimeoutMs: config.DATABASE_BUSY_TIMEOUT_MS,
    createFolder: !reader,
    importer: options.importer,
  });
  const { client } = connection;

  let totals: PostTotals;
  try {
    if (reader) checkReadable(await readSchemaVersion(client), redactUrl(url));
    const applied = reader ? [] : await migrate(client, redactUrl(url));
    totals = await labelTotals(client);
    logger.info(
      { url: redactUrl(url), transport: connection.transport, schemaVersion: SCHEMA_VERSION, migrated: applied, reader, posts: totals.posts },
      'database opened',
    );
  } catch (error) {
    client.close();
    throw error;
  }

  let writeThread: WriteThread | null = null;
  if (!reader && connection.path && options.writeThread !== false) {
    try {
      writeThread = await WriteThread.start({ url, busyTimeoutMs: config.DATABASE_BUSY_TIMEOUT_MS }, logger);
      logger.info('write thread started');
    } catch (error) {
      client.close();
      throw new StoreError('CONNECT_FAILED', `The write thread could not open DATABASE_URL=${JSON.stringify(redactUrl(url))}: ${(error as Error).message}`, { cause: error });
    }
  }
  const directRunner: BatchRunner = writeThread ?? { batch: (statements) => client.batch(statements, 'write') };

  const closing = new AbortController();
  let lease: IngestLease | null = null;
  if (!reader) {
    const path = connection.path;
    lease = new IngestLease({
      client,
      runner: directRunner,
      logger,
      url: redactUrl(url),
      timings: options.lease,
      signal: closing.signal,
      takeLock: path ? () => takeIngestLock(path, options.importer) : undefined,
    });
    try {
      await lease.acquire();
    } catch (error) {
      await writeThread?.close();
      client.close();
      throw error;
    }
  }
  // Every write transaction of a writer checks first that this process still holds the lease.
  const runner: BatchRunner = lease ? lease.fence(directRunner) : directRunner;
  const serial = createSerialQueue();
  // NOTE: with @libsql/client 0.18.0 (libsql 0.5.29) a statement that fails, for example with
  // SQLITE_BUSY, stays active until garbage collection finalizes it, and while it does every
  // COMMIT on that connection fails with "SQL statements in progress". Reopening the
  // connection after a failed write finalizes it at once.
  // The write thread recovers its own connection.
  const recover = async () => {
    if (connection.transport !== 'file' || writeThread) return;
    await client.reconnect();
    await applyFilePragmas(client, null);
  };
  const rollupHorizonSeconds = () => Math.floor((now() - config.ROLLUP_RETENTION_DAYS * DAY_MS) / 60_000) * 60;
  const writer = createBatchWriter({
    runner,
    logger,
    serial,
    totals,
    rollupHorizonSeconds,
    signal: closing.signal,
    retryMinMs: options.retryMinMs ?? 50,
    retryMaxMs: options.retryMaxMs ?? 5000,
    afterFailure: recover,
    onBatchWritten: options.onBatchWritten,
  });

  const chunkSize = options.pruneChunkSize ?? 1000;
  let pruning: Promise<PruneResult> | null = null;
  const pruneOnce = (at = now()): Promise<PruneResult> => {
    if (reader) return Promise.reject(readOnlyError('prune'));
    pruning ??= runPrune(at).finally(() => (pruning = null));
    return pruning;
  };
  const runPrune = async (at: number): Promise<PruneResult> => {
    const limits = {
      postCutoffUs: Math.floor(at - config.RETENTION_DAYS * DAY_MS) * 1000,
      rollupCutoffSeconds: Math.floor((at - config.ROLLUP_RETENTION_DAYS * DAY_MS) / 60_000) * 60,
      chunkSize,
    };
    const result: PruneResult = { posts: 0, rollupMinutes: 0 };
    // Small transactions with a pause between them let ingest batches in between.
    while (!closing.signal.aborted) {
      const chunk = await serial(() => pruneChunk(runner, limits).catch(async (error: unknown) => {
        await recover();
        throw error;
      }));
      addLabels(totals, chunk.removed, -1);
      result.posts += chunk.count;
      if (chunk.count < chunkSize) break;
      await sleep(0);
    }
    if (!closing.signal.aborted) {
      result.rollupMinutes = await serial(() => pruneRollups(runner, limits).catch(async (error: unknown) => {
        await recover();
        throw error;
      }));
    }
    if (result.posts > 0 || result.rollupMinutes > 0) logger.info({ ...result }, 'retention pruned old rows');
    return result;
  };

  const timers: ReturnType<typeof setInterval>[] = [];
  const every = (ms: number, task: () => Promise<unknown>, what: string) => {
    if (ms <= 0) return;
    timers.push(
      setInterval(() => {
        task().catch((error: unknown) => {
          if (!closing.signal.aborted) logger.error({ err: error }, `${what} failed; it runs again in ${ms} ms`);
        });
      }, ms),
    );
  };
  if (reader) {
    every(options.totalsRefreshMs ?? 5000, async () => Object.assign(totals, await labelTotals(client)), 'totals refresh');
  } else if (lease) {
    const writerLease = lease;
    every(options.pruneIntervalMs ?? 60_000, async () => {
      // Once the lease is lost nothing can be written, so retention stops quietly.
      if (!writerLease.lost) await pruneOnce();
    }, 'retention');
    every(writerLease.timings.renewMs, () => serial(() => writerLease.renew()), 'ingest lease renewal');
  }

  let closed: Promise<void> | null = null;
  const store: Store = {
    client,
    reader,
    attach(hub) {
      if (reader) throw readOnlyError('attach to the hub');
      hub.subscribe('batch', (batch) => writer.applyDurably(batch));
    },
    applyBatch: (batch) => (reader ? Promise.reject(readOnlyError('write a batch')) : writer.apply(batch)),
    async readCursor() {
      const result = await client.execute('SELECT time_us FROM cursor WHERE id = 1');
      return result.rows.length ? Number(result.rows[0]![0]) : null;
    },
    totals: () => ({ ...totals }),
    async ping() {
      await client.execute('SELECT 1');
    },
    pruneOnce,
    rejectedEffects: writer.rejectedEffects,
    listPosts: (query) => listPosts(client, query),
    topPosts: (query) => topPosts(client, query, now()),
    timeseries: (query) => timeseries(client, query),
    labelTotals: () => labelTotals(client),
    countPosts: () => countPosts(client),
    exportPosts: (query) => exportPosts(client, query),
    close() {
      closed ??= (async () => {
        closing.abort();
        for (const timer of timers) clearInterval(timer);
        // Let the write or prune chunk in flight finish, so close never cuts a transaction.
        await serial(async () => undefined);
        await pruning?.catch(() => undefined);
        await lease?.release().catch((error: unknown) => logger.warn({ err: error }, 'releasing the ingest lease failed, so it expires on its own'));
        await writeThread?.close();
        client.close();
        logger.info('database closed');
      })();
      return closed;
    },
  };
  return store;
}

function readOnlyError(action: string): StoreError {
  return new StoreError('READ_ONLY', `Cannot ${action}: the store was opened in reader mode (INGEST=false).`);
}
