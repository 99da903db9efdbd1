/**
 * Builds the running service from a validated configuration: store, hub, statistics, firehose
 * consumer, HTTP app and Socket.IO on one HTTP server. `close()` shuts it down in the order
 * that loses nothing: intake, pending writes, clients, HTTP, database.
 */
import { availableParallelism } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/logger.ts';
import { Hub } from '../hub/hub.ts';
import type { HubEvents } from '../hub/events.ts';
import { openStore, type Store } from '../store/index.ts';
import { createStatistics, type Statistics } from '../stats/index.ts';
import { createFirehose, type Firehose } from '../firehose/index.ts';
import { createRealtime, type Realtime } from '../realtime/index.ts';
import { createApp } from '../http/app.ts';
import { createMetrics } from '../http/metrics.ts';
import { runtimeName, runtimeVersion, writeThreadByDefault } from '../runtime/index.ts';
import { SERVICE_VERSION } from '../version.ts';

export interface Service {
  /** Port the HTTP server listens on (useful when PORT=0). */
  readonly port: number;
  readonly hub: Hub<HubEvents>;
  readonly store: Store;
  readonly statistics: Statistics;
  readonly firehose: Firehose | null;
  readonly realtime: Realtime;
  readonly httpServer: HttpServer;
  /** Stops intake, flushes pending writes, closes clients, the HTTP server and the database. */
  close(): Promise<void>;
}

export interface ServiceOptions {
  config: Config;
  logger: Logger;
  /** Clock in milliseconds since the epoch; tests may pass their own. */
  now?: () => number;
}

/** Opens everything and starts listening; throws (after closing what it opened) on failure. */
export async function startService({ config, logger, now = Date.now }: ServiceOptions): Promise<Service> {
  const startedAt = now();
  const hub = new Hub<HubEvents>();
  // The store reports batch writes to the metrics, so they exist first; their getters read the
  // other stages only at scrape time, after everything below has started.
  const live: { statistics?: Statistics; realtime?: Realtime } = {};
  const metrics = createMetrics({
    logger,
    build: { version: SERVICE_VERSION, runtime: runtimeName, runtimeVersion },
    sources: {
      stats: () => live.statistics!.snapshot(),
      clientCount: () => live.realtime?.clientCount() ?? 0,
      realtimeCounters: () => live.realtime?.counters(),
    },
  });
  // Aborted during shutdown, so running exports end instead of holding the HTTP server open.
  const exportsStopped = new AbortController();
  const writeThread = config.DATABASE_WRITE_THREAD === 'auto' ? writeThreadByDefault : config.DATABASE_WRITE_THREAD === 'true';
  const store = await openStore({ config, logger: logger.child({ component: 'store' }), now, onBatchWritten: metrics.onBatchWritten, writeThread });
  const opened: Array<() => Promise<void>> = [() => store.close()];

  try {
    if (config.INGEST) store.attach(hub);
    const statistics = createStatistics({
      config,
      hub,
      store,
      now,
      startedAt,
      runtime: runtimeName,
      serviceVersion: SERVICE_VERSION,
    });
    opened.push(async () => statistics.close());
    live.statistics = statistics;

    const firehose = config.INGEST
      ? createFirehose({ config, hub, store, logger: logger.child({ component: 'firehose' }), now, scoringThread: resolveScoringThread(config) })
      : null;

    let realtime: Realtime | undefined;
    const app = createApp({
      config,
      store,
      statistics,
      logger: logger.child({ component: 'http' }),
      announce: (announcement) => hub.publish('announcement', announcement),
      readiness: () => ({ firehose: firehose?.readiness() ?? null }),
      clientCount: () => realtime?.clientCount() ?? 0,
      metrics,
      shutdownSignal: exportsStopped.signal,
    });
    const httpServer = createAdaptorServer({ fetch: app.fetch }) as HttpServer;
    // Socket.IO attaches after Hono's request listener exists, so engine.io wraps it and Hono
    // never sees a /socket.io/ request.
    realtime = await createRealtime({ config, hub, statistics, httpServer, logger: logger.child({ component: 'realtime' }), now });
    opened.push(() => realtime!.close());
    live.realtime = realtime;

    await listen(httpServer, config.PORT, config.HOST);
    const port = (httpServer.address() as AddressInfo).port;
    logger.info({ component: 'service', host: config.HOST, port, ingest: config.INGEST, runtime: runtimeName }, 'listening');

    firehose?.start();

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= closeAll({ logger, firehose, statistics, realtime: realtime!, httpServer, store, stopExports: () => exportsStopped.abort() }));
    return { port, hub, store, statistics, firehose, realtime, httpServer, close };
  } catch (error) {
    for (const closeOne of opened.reverse()) await closeOne().catch(() => undefined);
    throw error;
  }
}

function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

interface Closable {
  logger: Logger;
  firehose: Firehose | null;
  statistics: Statistics;
  realtime: Realtime;
  httpServer: HttpServer;
  store: Store;
  stopExports: () => void;
}

async function closeAll({ logger, firehose, statistics, realtime, httpServer, store, stopExports }: Closable): Promise<void> {
  const log = logger.child({ component: 'service' });
  const step = async (name: string, action: () => Promise<void> | void) => {
    try {
      await action();
    } catch (error) {
      log.error({ err: error, step: name }, 'shutdown step failed');
    }
  };

  await step('stop intake and flush', () => firehose?.stop());
  await step('close statistics', () => statistics.close());
  await step('close socket.io', () => realtime.close());
  await step('stop exports', stopExports);
  await step('close http server', () => closeHttpServer(httpServer));
  await step('close database', () => store.close());
  log.info('stopped');
}

/** Time in-flight HTTP responses get to finish before their connections are cut. */
const HTTP_DRAIN_MS = 2000;

function closeHttpServer(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const cutOff = setTimeout(() => server.closeAllConnections(), HTTP_DRAIN_MS);
    server.close(() => {
      clearTimeout(cutOff);
      resolve();
    });
    // Idle keep-alive connections would otherwise hold close() open until they time out.
    server.closeIdleConnections();
  });
}

/** Decides whether large batches are scored on a worker thread, which pays only with a second CPU. */
function resolveScoringThread(config: Config): boolean {
  return config.SCORING_THREAD === 'auto' ? availableParallelism() > 1 : config.SCORING_THREAD === 'true';
}
