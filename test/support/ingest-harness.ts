/**
 * Runs the real consumer against a real store (libSQL file in a temporary folder) and a real
 * hub, with fast reconnect settings. The harness records upstream sockets opened on the
 * client side, committed batches, status events and log lines.
 */
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { createFirehose, type Firehose, type FirehoseOptions } from '../../src/firehose/index.ts';
import { Hub } from '../../src/hub/hub.ts';
import type { FirehoseStatus, HubEvents, IngestBatch, PostRecord } from '../../src/hub/events.ts';
import { createLogger } from '../../src/log/logger.ts';
import { createUpstreamSocket, type UpstreamSocketFactory } from '../../src/runtime/websocket.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { temporaryFolder } from './service-process.ts';
import { waitFor, withTimeout } from './replay-faults.ts';

/**
 * Settings for ingest tests: reconnects and stall detection take milliseconds instead of
 * seconds, and retention keeps the old timestamps of test data.
 */
export const TEST_INGEST_ENV: Record<string, string> = {
  RETENTION_DAYS: '36500',
  RECONNECT_MIN_MS: '1',
  RECONNECT_MAX_MS: '50',
  RECONNECT_HEALTHY_SECONDS: '1',
  STALL_TIMEOUT_SECONDS: '1',
  PING_INTERVAL_SECONDS: '1',
  BATCH_MAX_WAIT_MS: '2',
  CURSOR_REWIND_SECONDS: '3',
};

/** Client-side view of upstream sockets: how many are open now and at most. */
export interface SocketWatch {
  factory: UpstreamSocketFactory;
  readonly open: number;
  readonly maxOpen: number;
  readonly created: number;
  readonly urls: string[];
}

export function watchSockets(inner: UpstreamSocketFactory = createUpstreamSocket): SocketWatch {
  let open = 0;
  let maxOpen = 0;
  let created = 0;
  const urls: string[] = [];
  return {
    factory(url, options) {
      const socket = inner(url, options);
      created += 1;
      urls.push(url);
      open += 1;
      maxOpen = Math.max(maxOpen, open);
      socket.on('close', () => (open -= 1));
      return socket;
    },
    get open() {
      return open;
    },
    get maxOpen() {
      return maxOpen;
    },
    get created() {
      return created;
    },
    urls,
  };
}

/** What committed batches did, tracked independently of the store. */
export interface Ledger {
  /** Posts alive after all committed effects, by AT-URI. */
  alive: Map<string, PostRecord>;
  /** How often each create was committed, by AT-URI; above 1 means an event was processed twice. */
  creates: Map<string, number>;
  batches: IngestBatch[];
  lastCursor: number | null;
  events: number;
}

export interface IngestHarness {
  config: Config;
  hub: Hub<HubEvents>;
  store: Store;
  firehose: Firehose;
  sockets: SocketWatch;
  ledger: Ledger;
  statuses: FirehoseStatus[];
  logs(): Array<Record<string, unknown>>;
  latestStatus(): FirehoseStatus | undefined;
  /** Posts stored in the database now. */
  countPosts(): Promise<number>;
  /** Waits until the ledger's cursor reaches `timeUs`. */
  waitForCursor(timeUs: number, timeoutMs?: number): Promise<void>;
  /** Stops the consumer, closes the store and removes the database unless `folder` was given. */
  close(): Promise<void>;
  readonly databaseUrl: string;
}

export interface HarnessOptions {
  urls: string[];
  env?: Record<string, string>;
  /** Existing folder for the database, kept after close (for restart tests). */
  folder?: string;
  firehose?: Partial<Pick<FirehoseOptions, 'scorer' | 'zstd' | 'readinessBudgetMs' | 'now' | 'statusIntervalMs'>>;
  /** Extra `batch` listener run with the store, e.g. to slow commits down. */
  onBatch?: (batch: IngestBatch) => Promise<void> | void;
}

/** Posts stored now, through the store's own count when it has one. */
export async function countStoredPosts(store: Store): Promise<number> {
  const counted = store as Store & { countPosts?: () => Promise<number> };
  if (typeof counted.countPosts === 'function') return counted.countPosts();
  const result = await store.client.execute('SELECT count(*) AS n FROM posts');
  return Number(result.rows[0]!.n);
}

export async function startIngest(options: HarnessOptions): Promise<IngestHarness> {
  const temporary = options.folder ? null : temporaryFolder('skypulse-ingest-');
  const folder = options.folder ?? temporary!.path;
  const databaseUrl = `file:${folder}/skypulse.db`;
  const config = loadConfig({
    ...TEST_INGEST_ENV,
    JETSTREAM_URL: options.urls.join(','),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'debug',
    ...options.env,
  });

  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const hub = new Hub<HubEvents>();
  const store = await openStore({ config, logger: logger.child({ component: 'store' }) });
  store.attach(hub);
  if (options.onBatch) hub.subscribe('batch', options.onBatch);

  const ledger: Ledger = { alive: new Map(), creates: new Map(), batches: [], lastCursor: null, events: 0 };
  hub.subscribe('committed', (batch) => {
    ledger.batches.push(batch);
    ledger.lastCursor = batch.cursor;
    ledger.events += batch.eventCount;
    for (const effect of batch.effects) {
      if (effect.kind === 'upsert') {
        ledger.alive.set(effect.post.uri, effect.post);
        if (effect.operation === 'create') ledger.creates.set(effect.post.uri, (ledger.creates.get(effect.post.uri) ?? 0) + 1);
      } else if (effect.kind === 'delete') {
        ledger.alive.delete(effect.uri);
      } else {
        for (const [uri, post] of ledger.alive) if (post.did === effect.did) ledger.alive.delete(uri);
      }
    }
  });
  const statuses: FirehoseStatus[] = [];
  hub.subscribe('firehose', (status) => void statuses.push(status));

  const sockets = watchSockets();
  const firehose = createFirehose({
    config,
    hub,
    store,
    logger: logger.child({ component: 'firehose' }),
    now: Date.now,
    socketFactory: sockets.factory,
    statusIntervalMs: 50,
    ...options.firehose,
  });
  firehose.start();

  let closed = false;
  return {
    config,
    hub,
    store,
    firehose,
    sockets,
    ledger,
    statuses,
    databaseUrl,
    logs: () => lines,
    latestStatus: () => statuses.at(-1),
    countPosts: () => countStoredPosts(store),
    waitForCursor: (timeUs, timeoutMs = 15_000) =>
      waitFor(
        () => (ledger.lastCursor ?? 0) >= timeUs,
        timeoutMs,
        () =>
          `cursor ${ledger.lastCursor} did not reach ${timeUs}; status ${JSON.stringify(statuses.at(-1))}; ` +
          `last warnings ${JSON.stringify(lines.filter((line) => Number(line.level) >= 40).slice(-3))}`,
      ),
    async close() {
      if (closed) return;
      closed = true;
      await withTimeout(firehose.stop(), 10_000, `firehose.stop(); status ${JSON.stringify(statuses.at(-1))}`);
      await withTimeout(store.close(), 10_000, 'store.close()');
      temporary?.remove();
    },
  };
}
