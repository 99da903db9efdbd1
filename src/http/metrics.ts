/**
 * Prometheus metrics through prom-client, on a registry of our own so several services in one
 * process (tests) do not collide. Counters owned by other stages (firehose, statistics,
 * Socket.IO) are read from their snapshots at scrape time; HTTP requests and batch writes are
 * recorded here as they happen.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LabelCounts, StatsSnapshot } from '../hub/events.ts';
import type { Logger } from '../log/logger.ts';
import type { RealtimeCounters } from '../realtime/counters.ts';
import { removeFailingProcessMetrics, replaceUnreadableProcMetrics } from './process-metrics.ts';

/** Sources of the values read at scrape time; every getter may be called at any time after creation. */
export interface MetricSources {
  /** The statistics snapshot (served from memory). */
  stats(): StatsSnapshot;
  /** Socket.IO clients connected to this process. */
  clientCount(): number;
  /** Socket.IO message counters, or undefined when not available. */
  realtimeCounters?(): RealtimeCounters | undefined;
}

export interface MetricsOptions {
  sources: MetricSources;
  logger: Logger;
  /** Labels of `skypulse_build_info`. */
  build: { version: string; runtime: string; runtimeVersion: string };
  /** Adds prom-client's process and runtime metrics (CPU, memory, event loop, GC). */
  defaultMetrics?: boolean;
}

export interface Metrics {
  readonly registry: Registry;
  /** Records one committed store batch; the store calls it after each transaction. */
  onBatchWritten(durationSeconds: number, effectCount: number): void;
  /** Counts posts written into export responses. */
  countExportedPosts(format: string, count: number): void;
  /** Records one HTTP response. */
  observeRequest(method: string, route: string, status: number, durationSeconds: number): void;
  /** The metrics in the Prometheus text format. */
  render(): Promise<string>;
  readonly contentType: string;
}

/** Sets a counter from a cumulative value that another component owns. */
function setCounter<T extends string>(counter: Counter<T>, value: number, labels?: Partial<Record<T, string>>): void {
  if (!Number.isFinite(value) || value < 0) return;
  if (labels) counter.inc(labels, value);
  else counter.inc(value);
}

const LABELS: Array<keyof LabelCounts> = ['positive', 'neutral', 'negative', 'unscored'];

export function createMetrics({ sources, logger, build, defaultMetrics = true }: MetricsOptions): Metrics {
  const registry = new Registry();
  const log = logger.child({ component: 'metrics' });

  // One snapshot per scrape: every collect() below runs during the same render() call.
  let scrapeSnapshot: StatsSnapshot | null = null;
  let scrapeRealtime: RealtimeCounters | null | undefined;
  const snapshot = () => (scrapeSnapshot ??= sources.stats());
  const realtime = () => (scrapeRealtime === undefined ? (scrapeRealtime = sources.realtimeCounters?.() ?? null) : scrapeRealtime);

  new Gauge({
    name: 'skypulse_build_info',
    help: 'Version of the service and of the runtime executing it; always 1.',
    labelNames: ['version', 'runtime', 'runtime_version'],
    registers: [registry],
  }).set({ version: build.version, runtime: build.runtime, runtime_version: build.runtimeVersion }, 1);

  new Counter({
    name: 'skypulse_firehose_events_received_total',
    help: 'Jetstream events received since the process started.',
    registers: [registry],
    collect() {
      this.reset();
      setCounter(this, snapshot().firehose.eventsReceived);
    },
  });
  new Counter({
    name: 'skypulse_firehose_events_dropped_total',
    help: 'Jetstream events dropped (not stored), by reason.',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, count] of Object.entries(snapshot().firehose.dropped)) setCounter(this, count, { reason });
    },
  });
  new Counter({
    name: 'skypulse_firehose_events_ignored_total',
    help: 'Jetstream events ignored on purpose (other collections, unknown kinds), by reason.',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, count] of Object.entries(snapshot().firehose.ignored)) setCounter(this, count, { reason });
    },
  });
  new Counter({
    name: 'skypulse_firehose_reconnects_total',
    help: 'Reconnections to Jetstream since the process started.',
    registers: [registry],
    collect() {
      this.reset();
      setCounter(this, snapshot().firehose.reconnects);
    },
  });
  new Gauge({
    name: 'skypulse_firehose_connected',
    help: '1 while the Jetstream socket is open, else 0.',
    registers: [registry],
    collect() {
      this.set(snapshot().firehose.connected ? 1 : 0);
    },
  });
  new Gauge({
    name: 'skypulse_firehose_lag_seconds',
    help: 'Seconds between now and the time of the last Jetstream event received; absent before the first event.',
    registers: [registry],
    collect() {
      this.reset();
      const lag = snapshot().firehose.lagSeconds;
      if (lag !== null) this.set(lag);
    },
  });
  new Gauge({
    name: 'skypulse_firehose_queue_depth',
    help: 'Events parsed and waiting to be scored and written.',
    registers: [registry],
    collect() {
      this.set(snapshot().firehose.queueDepth);
    },
  });
  new Gauge({
    name: 'skypulse_firehose_paused',
    help: '1 while reading from Jetstream is paused because the queue is full, else 0.',
    registers: [registry],
    collect() {
      this.set(snapshot().firehose.paused ? 1 : 0);
    },
  });

  new Gauge({
    name: 'skypulse_posts_stored',
    help: 'Posts in the database now, by sentiment label.',
    labelNames: ['label'],
    registers: [registry],
    collect() {
      const totals = snapshot().totals;
      for (const label of LABELS) this.set({ label }, totals[label]);
    },
  });
  new Counter({
    name: 'skypulse_posts_ingested_total',
    help: 'Posts created or updated since the process started, by sentiment label.',
    labelNames: ['label'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = snapshot().windows.sinceStart.labels;
      for (const label of LABELS) setCounter(this, counts[label], { label });
    },
  });

  const batchSeconds = new Histogram({
    name: 'skypulse_store_batch_write_seconds',
    help: 'Time to write one batch to the database, transaction included.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const batchEffects = new Counter({
    name: 'skypulse_store_effects_written_total',
    help: 'Creates, updates and deletes written to the database.',
    registers: [registry],
  });

  new Gauge({
    name: 'skypulse_realtime_clients',
    help: 'Socket.IO clients connected to this process.',
    registers: [registry],
    collect() {
      this.set(sources.clientCount());
    },
  });
  new Counter({
    name: 'skypulse_realtime_messages_sent_total',
    help: 'Socket.IO messages sent to dashboards, by event.',
    labelNames: ['event'],
    registers: [registry],
    collect() {
      this.reset();
      const counters = realtime();
      for (const [event, count] of Object.entries(counters?.sent ?? {})) setCounter(this, count, { event });
    },
  });
  new Counter({
    name: 'skypulse_realtime_messages_dropped_total',
    help: 'Socket.IO messages (or posts within a batch) not sent to a dashboard, by reason.',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      const counters = realtime();
      for (const [reason, count] of Object.entries(counters?.dropped ?? {})) setCounter(this, count, { reason });
    },
  });
  new Counter({
    name: 'skypulse_realtime_slow_disconnects_total',
    help: 'Dashboards disconnected because their send buffer stayed above CLIENT_MAX_BUFFER_BYTES.',
    registers: [registry],
    collect() {
      this.reset();
      setCounter(this, realtime()?.slowDisconnects ?? 0);
    },
  });
  new Gauge({
    name: 'skypulse_realtime_slow_clients',
    help: 'Dashboards whose send buffer is above CLIENT_MAX_BUFFER_BYTES now.',
    registers: [registry],
    collect() {
      this.set(realtime()?.slowClients ?? 0);
    },
  });
  new Gauge({
    name: 'skypulse_realtime_max_buffered_bytes',
    help: 'Largest send buffer of one dashboard at the last check.',
    registers: [registry],
    collect() {
      this.set(realtime()?.maxBufferedBytes ?? 0);
    },
  });

  const requests = new Counter({
    name: 'skypulse_http_requests_total',
    help: 'HTTP responses sent by the HTTP app, by method, route template and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: 'skypulse_http_request_duration_seconds',
    help: 'Time until the response headers were ready, by method and route template (streamed bodies continue after).',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });

  const exportedPosts = new Counter({
    name: 'skypulse_http_exported_posts_total',
    help: 'Posts written into /api/export responses, by format.',
    labelNames: ['format'],
    registers: [registry],
  });

  if (defaultMetrics) {
    try {
      collectDefaultMetrics({ register: registry });
      replaceUnreadableProcMetrics(registry, log);
    } catch (error) {
      // A runtime without some Node API (perf_hooks, process.resourceUsage) still gets our own metrics.
      log.warn({ err: error }, 'process metrics unavailable on this runtime');
    }
  }

  return {
    registry,
    contentType: registry.contentType,
    onBatchWritten(durationSeconds, effectCount) {
      if (Number.isFinite(durationSeconds) && durationSeconds >= 0) batchSeconds.observe(durationSeconds);
      if (Number.isFinite(effectCount) && effectCount > 0) batchEffects.inc(effectCount);
    },
    countExportedPosts(format, count) {
      exportedPosts.inc({ format }, count);
    },
    observeRequest(method, route, status, durationSeconds) {
      requests.inc({ method, route, status: String(status) });
      requestSeconds.observe({ method, route }, durationSeconds);
    },
    async render() {
      scrapeSnapshot = null;
      scrapeRealtime = undefined;
      try {
        return await registry.metrics();
      } catch (error) {
        if (!(await removeFailingProcessMetrics(registry, log))) throw error;
        return await registry.metrics();
      } finally {
        scrapeSnapshot = null;
        scrapeRealtime = undefined;
      }
    },
  };
}
