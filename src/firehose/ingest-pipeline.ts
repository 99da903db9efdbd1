/**
 * The batcher: takes events from the queue, scores them, and publishes each batch on the hub.
 * `publish('batch')` resolves only once the store has committed the effects and the cursor in
 * one transaction. When it fails, the same batch is retried with backoff and never dropped,
 * and meanwhile the full queue keeps the socket paused. Committed batches are then announced
 * with `publish('committed')` for statistics and Socket.IO.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Hub } from '../hub/hub.ts';
import type { HubEvents, IngestBatch, IngestEffect } from '../hub/events.ts';
import { rateLimited, type Logger } from '../log/logger.ts';
import type { Backoff } from './backoff.ts';
import { toEffect, type PostScorer } from './effects.ts';
import type { IngestQueue } from './ingest-queue.ts';
import type { DecodedEvent } from './jetstream-event.ts';
import { systemTimers, type Timers } from './upstream-connection.ts';

export interface IngestPipelineOptions {
  queue: IngestQueue<DecodedEvent>;
  hub: Hub<HubEvents>;
  scorer: PostScorer;
  maxTextLength: number;
  batchMaxEvents: number;
  /**
   * Shortest time between the starts of two partial batches, in milliseconds, and so the
   * longest an event waits for its batch to fill. An event that arrives after a quiet spell is
   * taken at once; a full batch never waits.
   */
  batchMaxWaitMs: number;
  /** Delays between attempts to publish a batch the store could not commit. */
  retryBackoff: Backoff;
  /** Called after events were taken from the queue, so the socket can resume reading. */
  onTaken(): void;
  /** Called once a batch is durable. */
  onCommitted(batch: IngestBatch): void;
  logger: Logger;
  now: () => number;
  timers?: Timers;
}

export interface IngestPipeline {
  /** Starts the batching loop; the promise settles when `stop` has drained the queue. */
  run(): Promise<void>;
  /** Publishes everything still queued, then ends the loop. */
  stop(): Promise<void>;
  /** Sets the cursor read from the store before `run`; batch cursors never go below it. */
  setStoredCursor(cursor: number | null): void;
  /** Stored cursor after the last commit, or the one read before `run`. */
  readonly committedCursor: number | null;
}

/** Scoring time after which the batcher yields, so pings, HTTP and the socket keep running. */
const SCORING_SLICE_MS = 8;

export function createIngestPipeline(options: IngestPipelineOptions): IngestPipeline {
  const { queue, hub, logger, now } = options;
  const timers = options.timers ?? systemTimers;
  const warnRetry = rateLimited(5, 60_000, now);

  let committedCursor: number | null = null;
  let stopping = false;
  let running: Promise<void> | null = null;
  let cancelWait: (() => void) | null = null;
  let lastTakenAt = -Infinity;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const handle = timers.setTimeout(() => {
        cancelWait = null;
        resolve();
      }, ms);
      cancelWait = () => {
        timers.clearTimeout(handle);
        cancelWait = null;
        resolve();
      };
    });

  async function buildBatch(events: DecodedEvent[]): Promise<IngestBatch | null> {
    const effects: IngestEffect[] = [];
    let cursor = committedCursor ?? 0;
    let sliceStart = now();
    for (const event of events) {
      if (event.timeUs !== null && event.timeUs > cursor) cursor = event.timeUs;
      const effect = toEffect(event, options.scorer, options.maxTextLength);
      if (effect) effects.push(effect);
      if (now() - sliceStart >= SCORING_SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = now();
      }
    }
    // Frames without a readable time_us (unparseable ones) cannot move a cursor that was never set.
    if (cursor === 0) return null;
    return { effects, cursor, eventCount: events.length };
  }

  async function publishDurably(batch: IngestBatch): Promise<void> {
    for (;;) {
      try {
        await hub.publish('batch', batch);
        options.retryBackoff.reset();
        return;
      } catch (error) {
        const delayMs = options.retryBackoff.next();
        warnRetry((suppressed) =>
          logger.warn(
            { err: error, cursor: batch.cursor, effects: batch.effects.length, delayMs, attempt: options.retryBackoff.attempts, suppressed },
            'storing a batch failed; retrying the same batch',
          ),
        );
        await sleep(delayMs);
      }
    }
  }

  async function loop(): Promise<void> {
    for (;;) {
      if (queue.length === 0) {
        if (stopping) return;
        await queue.waitForItems();
        continue;
      }
      // Waiting for more events only pays while they keep coming: it turns a steady trickle
      // into fewer transactions. After a quiet spell the first event goes straight through.
      const waitMs = lastTakenAt + options.batchMaxWaitMs - now();
      if (!stopping && queue.length < options.batchMaxEvents && waitMs > 0) {
        await sleep(waitMs);
      }

      lastTakenAt = now();
      const events = queue.take(options.batchMaxEvents);
      options.onTaken();
      const batch = await buildBatch(events);
      if (!batch) continue;

      await publishDurably(batch);
      committedCursor = batch.cursor;
      options.onCommitted(batch);
      try {
        await hub.publish('committed', batch);
      } catch (error) {
        // The batch is durable; a failing listener must not make the consumer store it again.
        logger.error({ err: error, cursor: batch.cursor }, 'a listener of committed batches failed');
      }
    }
  }

  return {
    run() {
      running ??= loop();
      return running;
    },
    async stop() {
      stopping = true;
      cancelWait?.();
      queue.cancel();
      await (running ?? Promise.resolve());
    },
    setStoredCursor(cursor) {
      committedCursor = cursor;
    },
    get committedCursor() {
      return committedCursor;
    },
  };
}
