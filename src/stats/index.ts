/**
 * The statistics snapshot served by `/api/stats` and the `stats` Socket.IO event. The ingesting
 * process computes it from committed batches (see rolling-statistics.ts for the counting rules).
 * A process with INGEST=false computes nothing itself: it serves the snapshot the ingesting
 * process last published through Redis, so every process reports the same numbers.
 */
import type { Config } from '../config/schema.ts';
import type { Hub } from '../hub/hub.ts';
import type { FirehoseStatus, HubEvents, StatsSnapshot } from '../hub/events.ts';
import type { Store } from '../store/index.ts';
import { RollingStatistics } from './rolling-statistics.ts';

export interface StatisticsOptions {
  config: Config;
  hub: Hub<HubEvents>;
  store: Pick<Store, 'totals'>;
  /** Clock in ms since the epoch. */
  now: () => number;
  startedAt: number;
  runtime: 'node' | 'deno';
  serviceVersion: string;
}

export interface Statistics {
  /**
   * The current snapshot. It is computed at most once per SNAPSHOT_MAX_AGE_MS (or by
   * `refresh()`), so `/api/stats` and the `stats` event serve the same object.
   */
  snapshot(): StatsSnapshot;
  /** Computes a new snapshot now; the Socket.IO server calls it before each `stats` event. */
  refresh(): StatsSnapshot;
  /** Dashboards connected now, over all processes. */
  setClientCount(count: number): void;
  /**
   * Serves `snapshot`, published by the ingesting process, until it is older than
   * REMOTE_SNAPSHOT_MAX_AGE_MS. Ignored by an ingesting process, which computes its own.
   */
  acceptRemote(snapshot: StatsSnapshot): void;
  close(): void;
}

/** Age after which a snapshot from the ingesting process is no longer served. */
export const REMOTE_SNAPSHOT_MAX_AGE_MS = 3000;
/** Age after which `snapshot()` computes a new snapshot instead of serving the last one. */
export const SNAPSHOT_MAX_AGE_MS = 1000;

/** Upstream state before the consumer has reported anything, and on INGEST=false processes. */
function initialFirehoseStatus(): FirehoseStatus {
  return {
    connected: false,
    endpoint: null,
    cursor: null,
    lagSeconds: null,
    lastEventAt: null,
    reconnects: 0,
    eventsReceived: 0,
    dropped: {},
    ignored: {},
    queueDepth: 0,
    paused: false,
    compressed: false,
  };
}

export function createStatistics(options: StatisticsOptions): Statistics {
  const { config, hub, store, now, startedAt } = options;
  const rolling = new RollingStatistics({ now, startedAt });
  let firehose = initialFirehoseStatus();
  let clients = 0;
  let remote: { snapshot: StatsSnapshot; receivedAt: number } | null = null;
  let cached: { snapshot: StatsSnapshot; computedAt: number } | null = null;

  const unsubscribers = [
    hub.subscribe('committed', (batch) => rolling.apply(batch)),
    hub.subscribe('firehose', (status) => void (firehose = status)),
  ];

  const localSnapshot = (): StatsSnapshot => {
    const time = now();
    const summary = rolling.summary();
    return {
      version: 1,
      serviceVersion: options.serviceVersion,
      runtime: options.runtime,
      startedAt: new Date(startedAt).toISOString(),
      uptimeSeconds: Math.floor((time - startedAt) / 1000),
      generatedAt: new Date(time).toISOString(),
      totals: store.totals(),
      rates: { postsPerSecond: summary.postsPerSecond },
      windows: summary.windows,
      languages: summary.languages,
      firehose,
      clients,
      ingest: config.INGEST,
    };
  };

  const refresh = (): StatsSnapshot => {
    if (remote && now() - remote.receivedAt <= REMOTE_SNAPSHOT_MAX_AGE_MS) return remote.snapshot;
    cached = { snapshot: localSnapshot(), computedAt: now() };
    return cached.snapshot;
  };

  return {
    snapshot() {
      if (remote && now() - remote.receivedAt <= REMOTE_SNAPSHOT_MAX_AGE_MS) return remote.snapshot;
      const age = cached ? now() - cached.computedAt : Infinity;
      return age >= 0 && age < SNAPSHOT_MAX_AGE_MS ? cached!.snapshot : refresh();
    },
    refresh,
    setClientCount(count) {
      clients = count;
    },
    acceptRemote(snapshot) {
      if (config.INGEST) return;
      remote = { snapshot, receivedAt: now() };
    },
    close() {
      for (const unsubscribe of unsubscribers) unsubscribe();
    },
  };
}
