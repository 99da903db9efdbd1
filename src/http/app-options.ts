/** Dependencies of the HTTP app, which the service wires to the running stages. */
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/logger.ts';
import type { Announcement, StatsSnapshot } from '../hub/events.ts';
import type { StoreQueries } from '../store/types.ts';
import type { FirehoseReadiness } from '../firehose/index.ts';
import type { Metrics } from './metrics.ts';

/** The store queries the API uses. */
export type HttpStore = Pick<StoreQueries, 'listPosts' | 'topPosts' | 'timeseries' | 'exportPosts'> & {
  /** Rejects when the database is unreachable. */
  ping(): Promise<void>;
};

export interface AppOptions {
  config: Config;
  store: HttpStore;
  statistics: { snapshot(): StatsSnapshot };
  logger: Logger;
  metrics: Metrics;
  /** Publishes an operator message; Socket.IO sends it to every dashboard. */
  announce: (announcement: Announcement) => Promise<void>;
  /** Upstream readiness, or `firehose: null` when ingestion is off. */
  readiness: () => { firehose: FirehoseReadiness | null };
  /** Socket.IO clients connected to this process. */
  clientCount: () => number;
  /** Folder of the dashboard files; defaults to the repository's `static/`. */
  staticRoot?: string;
  /** Clock in milliseconds since the epoch. */
  now?: () => number;
  /** Length of the rate-limit window; RATE_LIMIT_PER_MINUTE requests are allowed per window. */
  rateLimitWindowMs?: number;
  /** Time allowed for the database check of /readyz. */
  readinessTimeoutMs?: number;
  /** Aborted when the service shuts down; running exports end instead of holding the server open. */
  shutdownSignal?: AbortSignal;
}
