/**
 * The Jetstream consumer: socket loop (decode, validate, queue) → batcher (score, publish
 * `batch`, wait until durable, publish `committed`). Every (re)connect resumes at the cursor
 * stored with the last batch, minus a rewind. The store's writes are idempotent, so the
 * events the rewind delivers again are not counted twice.
 */
import type { Config } from '../config/schema.ts';
import type { Hub } from '../hub/hub.ts';
import type { HubEvents } from '../hub/events.ts';
import { rateLimited, type Logger } from '../log/logger.ts';
import type { Store } from '../store/index.ts';
import { createUpstreamSocket, type UpstreamSocketFactory } from '../runtime/websocket.ts';
import { loadZstdDecoder, type ZstdSupport } from '../runtime/zstd.ts';
import { createBackoff } from './backoff.ts';
import { cutText, type PostScorer } from './effects.ts';
import { decodeFrame, type FrameDecodeOptions } from './frame-decoder.ts';
import { createStatusTracker } from './firehose-status.ts';
import { createIngestPipeline } from './ingest-pipeline.ts';
import { createIngestQueue } from './ingest-queue.ts';
import type { DecodedEvent } from './jetstream-event.ts';
import { buildSubscribeUrl } from './subscribe-url.ts';
import { createUpstreamConnection, systemTimers, type Timers } from './upstream-connection.ts';
import { createDefaultScorer, scorerSettings } from './default-scorer.ts';
import { createScoringThread } from './scoring-thread.ts';

export type { PostScorer } from './effects.ts';

export interface FirehoseOptions {
  config: Config;
  hub: Hub<HubEvents>;
  store: Pick<Store, 'readCursor'>;
  logger: Logger;
  now: () => number;
  /** Opens upstream sockets; tests wrap the real one to watch connections. */
  socketFactory?: UpstreamSocketFactory;
  /** Post scorer; defaults to the VADER scorer configured from `config`. */
  scorer?: PostScorer;
  /**
   * Scores large batches on a worker thread with the default scorer. Ignored when `scorer` is
   * given, since a worker cannot run a function from this thread.
   */
  scoringThread?: boolean;
  /** zstd support; defaults to probing the runtime when JETSTREAM_COMPRESS is true. */
  zstd?: ZstdSupport;
  random?: () => number;
  timers?: Timers;
  /** Time disconnected after which `/readyz` reports not ready, in milliseconds. */
  readinessBudgetMs?: number;
  /** Interval of `firehose` status events while running, in milliseconds. @default 1000 */
  statusIntervalMs?: number;
}

/** Whether the upstream is healthy enough for `/readyz`. */
export interface FirehoseReadiness {
  ready: boolean;
  reason: string | null;
}

export interface Firehose {
  start(): void;
  /** Stops reading, writes the pending batch and closes the upstream socket with code 1000. */
  stop(): Promise<void>;
  readiness(): FirehoseReadiness;
}

/** Default readiness budget: a minute of reconnecting is routine for Jetstream. */
const READINESS_BUDGET_MS = 60_000;
/**
 * `ws` closes with 1009 above this; frames above MAX_MESSAGE_BYTES but below it are dropped and
 * counted without closing the connection.
 * NOTE: a frame above 64 MiB still ends the connection, and a reconnect from the same cursor
 * meets it again. Jetstream is asked (`maxMessageSizeBytes`) to leave out anything above
 * MAX_MESSAGE_BYTES, so only an upstream that ignores the parameter can send one.
 */
const SOCKET_MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
/** Consecutive undecodable compressed frames after which the consumer falls back to JSON. */
const COMPRESSION_FAILURE_LIMIT = 20;
const STATUS_INTERVAL_MS = 1000;

/**
 * Cuts `text` like `cutText` and copies the result when it was cut: V8 can represent a slice
 * as a view of the original string, which would keep a 2 MB text alive in the queue.
 */
function detachedCut(text: string, maxLength: number): string {
  const cut = cutText(text, maxLength);
  // A JSON round trip makes a new string and, unlike a UTF-8 round trip, keeps lone surrogates.
  return cut === text ? text : (JSON.parse(JSON.stringify(cut)) as string);
}

export function createFirehose(options: FirehoseOptions): Firehose {
  const { config, hub, store, logger, now } = options;
  const timers = options.timers ?? systemTimers;
  const random = options.random ?? Math.random;
  const scorer = options.scorer ?? createDefaultScorer(config);
  const scoring =
    options.scoringThread && !options.scorer
      ? createScoringThread({ settings: scorerSettings(config), inline: scorer, logger, now })
      : undefined;
  const readinessBudgetMs = options.readinessBudgetMs ?? READINESS_BUDGET_MS;
  const warnDrop = rateLimited(10, 10_000, now);

  const decodeOptions: FrameDecodeOptions = { maxMessageBytes: config.MAX_MESSAGE_BYTES, decompress: null };
  if (config.JETSTREAM_COMPRESS) {
    const support = options.zstd ?? loadZstdDecoder(config.ZSTD_DICTIONARY_PATH ?? '');
    if (support.available) {
      decodeOptions.decompress = support.decode;
      logger.info({ dictionaryId: support.dictionaryId }, 'zstd compression enabled');
    } else {
      logger.warn({ reason: support.reason }, 'JETSTREAM_COMPRESS=true but zstd frames cannot be decoded; running uncompressed');
    }
  }

  const queue = createIngestQueue<DecodedEvent>(config.QUEUE_MAX_EVENTS);
  const status = createStatusTracker(null, now);
  status.compressed(decodeOptions.decompress !== null);

  let started = false;
  let stopped = false;
  let startedAt = now();
  let startupError: string | null = null;
  let pipelineError: string | null = null;
  let lastQueuedTimeUs: number | null = null;
  // Highest time_us received from the current endpoint: one Jetstream host never sends an
  // event at or below it again, except as the rewind's re-delivery, which is skipped here.
  let lastReceivedOnEndpoint: number | null = null;
  let compressionFailures = 0;
  let statusTimer: unknown = null;
  let stopping: Promise<void> | null = null;

  const publishStatus = () => {
    status.queue(queue.length, connection.paused);
    hub.publish('firehose', status.snapshot()).catch((error: unknown) => logger.error({ err: error }, 'a listener of firehose status failed'));
  };

  const pipeline = createIngestPipeline({
    queue,
    hub,
    scorer,
    scoring,
    maxTextLength: config.MAX_TEXT_LENGTH,
    batchMaxEvents: config.BATCH_MAX_EVENTS,
    batchMaxWaitMs: config.BATCH_MAX_WAIT_MS,
    retryBackoff: createBackoff({ minMs: config.RECONNECT_MIN_MS, maxMs: Math.min(config.RECONNECT_MAX_MS, 10_000), random }),
    onTaken() {
      if (connection.paused && queue.belowLowWater && !stopped) {
        connection.resume();
        publishStatus();
      }
    },
    onCommitted(batch) {
      status.committed(batch.cursor);
      // Published with every commit, not only on the timer, so that /api/stats never shows
      // windows that already count a batch beside a cursor and event count from before it.
      publishStatus();
    },
    logger,
    now,
    timers,
  });

  const connection = createUpstreamConnection({
    endpoints: config.JETSTREAM_URL,
    buildUrl: (endpoint) =>
      buildSubscribeUrl(endpoint, {
        cursor: pipeline.committedCursor ?? lastQueuedTimeUs,
        rewindSeconds: config.CURSOR_REWIND_SECONDS,
        maxMessageBytes: config.MAX_MESSAGE_BYTES,
        compress: decodeOptions.decompress !== null,
      }),
    socketFactory: options.socketFactory ?? createUpstreamSocket,
    socketOptions: () => ({
      // Jetstream v2 rejects a client that offers permessage-deflate together with zstd.
      perMessageDeflate: decodeOptions.decompress === null,
      maxPayload: Math.max(SOCKET_MAX_PAYLOAD_BYTES, config.MAX_MESSAGE_BYTES),
      handshakeTimeoutMs: config.STALL_TIMEOUT_SECONDS * 1000,
    }),
    backoff: createBackoff({ minMs: config.RECONNECT_MIN_MS, maxMs: config.RECONNECT_MAX_MS, random }),
    healthyMs: config.RECONNECT_HEALTHY_SECONDS * 1000,
    stallTimeoutMs: config.STALL_TIMEOUT_SECONDS * 1000,
    pingIntervalMs: config.PING_INTERVAL_SECONDS * 1000,
    onEndpointChange() {
      lastReceivedOnEndpoint = null;
    },
    onFrame(data, isBinary) {
      const event = decodeFrame(data, isBinary, decodeOptions);
      status.received(event.timeUs);
      if (isBinary && decodeOptions.decompress) watchCompression(event);

      if (event.timeUs !== null) {
        if (lastReceivedOnEndpoint !== null && event.timeUs <= lastReceivedOnEndpoint) {
          status.ignored('redelivered');
          return;
        }
        lastReceivedOnEndpoint = event.timeUs;
        // After a switch of endpoint, times can be a little lower than before; never go back.
        lastQueuedTimeUs = Math.max(lastQueuedTimeUs ?? 0, event.timeUs);
      }
      // Queued events keep only the part of the text that is scored and stored.
      if (event.type === 'post-upsert') event.text = detachedCut(event.text, config.MAX_TEXT_LENGTH);
      if (event.type === 'dropped') {
        status.dropped(event.reason);
        warnDrop((suppressed) =>
          logger.warn({ reason: event.reason, did: event.did, rkey: event.rkey, timeUs: event.timeUs, suppressed }, 'dropped upstream event'),
        );
      } else if (event.type === 'ignored') {
        status.ignored(event.reason);
      }

      if (queue.push(event) && !connection.paused) {
        connection.pause();
        logger.debug({ queueDepth: queue.length }, 'queue full; paused reading from upstream');
        publishStatus();
      }
    },
    onStateChange(state) {
      status.connection(state);
      if (started) publishStatus();
    },
    now,
    timers,
    logger,
  });

  function watchCompression(event: DecodedEvent): void {
    if (event.type !== 'dropped' || event.reason !== 'decompress-failed') {
      compressionFailures = 0;
      return;
    }
    compressionFailures += 1;
    if (compressionFailures < COMPRESSION_FAILURE_LIMIT) return;
    logger.error({ failures: compressionFailures }, 'compressed frames cannot be decoded with this dictionary; switching to uncompressed JSON');
    decodeOptions.decompress = null;
    status.compressed(false);
    connection.reconnect('switching to uncompressed frames');
  }

  function scheduleStatus(): void {
    statusTimer = timers.setTimeout(() => {
      if (stopped) return;
      publishStatus();
      scheduleStatus();
    }, options.statusIntervalMs ?? STATUS_INTERVAL_MS);
  }

  async function begin(): Promise<void> {
    const retry = createBackoff({ minMs: config.RECONNECT_MIN_MS, maxMs: config.RECONNECT_MAX_MS, random });
    let cursor: number | null = null;
    for (;;) {
      try {
        cursor = await store.readCursor();
        startupError = null;
        break;
      } catch (error) {
        // Starting without the stored cursor would skip or lose events, so keep trying instead.
        startupError = `reading the stored cursor failed: ${(error as Error).message}`;
        const delayMs = retry.next();
        logger.error({ err: error, delayMs }, 'reading the stored cursor failed; retrying');
        await new Promise<void>((resolve) => timers.setTimeout(() => resolve(), delayMs));
        if (stopped) return;
      }
    }
    if (stopped) return;
    if (cursor !== null) status.committed(cursor);
    pipeline.setStoredCursor(cursor);
    logger.info({ cursor, endpoints: config.JETSTREAM_URL.length, compressed: decodeOptions.decompress !== null }, cursor === null ? 'no stored cursor; starting at the live tail' : 'resuming from the stored cursor');
    void pipeline.run().catch((error: unknown) => {
      // Nothing is committed any more, so /readyz must report it instead of the connection state.
      pipelineError = `the ingest pipeline stopped: ${(error as Error).message}`;
      logger.fatal({ err: error }, 'the ingest pipeline stopped, so the consumer disconnects and stores nothing more');
      void connection.stop();
    });
    connection.start();
    scheduleStatus();
    publishStatus();
  }

  return {
    start() {
      if (started) return;
      started = true;
      startedAt = now();
      begin().catch((error: unknown) => logger.fatal({ err: error }, 'the consumer failed to start'));
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        if (statusTimer !== null) timers.clearTimeout(statusTimer);
        await Promise.all([connection.stop(), pipeline.stop()]);
        await scoring?.close();
        publishStatus();
        logger.info({ cursor: pipeline.committedCursor }, 'consumer stopped');
      })();
      return stopping;
    },
    readiness() {
      if (!started) return { ready: false, reason: 'the consumer has not started' };
      if (stopped) return { ready: false, reason: 'the consumer is stopping' };
      if (pipelineError) return { ready: false, reason: pipelineError };
      const state = status.connectionState;
      if (state?.connected) return { ready: true, reason: null };
      const downMs = now() - (state?.disconnectedSince ?? startedAt);
      if (downMs < readinessBudgetMs) return { ready: true, reason: null };
      const cause = startupError ?? state?.lastError ?? 'no connection attempt has finished';
      return { ready: false, reason: `upstream disconnected for ${Math.round(downMs / 1000)} s: ${cause}` };
    },
  };
}
