// PLACEHOLDER: minimal statistics so the foundation runs; the live fan-out work replaces this file.
import type { Config } from '../config/schema.ts';
import type { Hub } from '../hub/hub.ts';
import type { FirehoseStatus, HubEvents, StatsSnapshot, WindowStats } from '../hub/events.ts';
import type { Store } from '../store/index.ts';

export interface StatisticsOptions {
  config: Config;
  hub: Hub<HubEvents>;
  store: Pick<Store, 'totals'>;
  now: () => number;
  startedAt: number;
  runtime: 'node' | 'deno';
  serviceVersion: string;
}

export interface Statistics {
  snapshot(): StatsSnapshot;
  setClientCount(count: number): void;
  close(): void;
}

const emptyWindow = (): WindowStats => ({ posts: 0, labels: { positive: 0, neutral: 0, negative: 0, unscored: 0 }, meanCompound: null });

export function createStatistics(options: StatisticsOptions): Statistics {
  let firehose: FirehoseStatus = {
    connected: false, endpoint: null, cursor: null, lagSeconds: null, lastEventAt: null, reconnects: 0,
    eventsReceived: 0, dropped: {}, ignored: {}, queueDepth: 0, paused: false, compressed: false,
  };
  let clients = 0;
  const unsubscribe = options.hub.subscribe('firehose', (status) => void (firehose = status));
  return {
    snapshot() {
      const now = options.now();
      return {
        version: 1,
        serviceVersion: options.serviceVersion,
        runtime: options.runtime,
        startedAt: new Date(options.startedAt).toISOString(),
        uptimeSeconds: Math.floor((now - options.startedAt) / 1000),
        generatedAt: new Date(now).toISOString(),
        totals: options.store.totals(),
        rates: { postsPerSecond: 0 },
        windows: { minute: emptyWindow(), hour: emptyWindow(), sinceStart: emptyWindow() },
        languages: { minute: {}, hour: {}, sinceStart: {} },
        firehose,
        clients,
        ingest: options.config.INGEST,
      };
    },
    setClientCount(count) {
      clients = count;
    },
    close: () => unsubscribe(),
  };
}
