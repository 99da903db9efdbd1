/**
 * The batcher: takes events from the queue, scores them, and publishes each batch on the hub.
 * `publish('batch')` resolves only once the store has committed the effects and the cursor in
 * one transaction. When it fails, the same batch is retried with backoff and never dropped,
 * and meanwhile the full queue keeps the socket paused. Committed batches are then announced
 * with `publish('committed')` for statistics and Socket.IO. A permanent failure (see
 * `isPermanentFailure`) is not retried: the loop ends and `run` rejects with it.
 *
 * While one batch is being stored, the next one is scored, and the announcement of a committed
 * batch overlaps the write of the next one, so a store that writes from another thread works in
 * parallel with scoring. Batches are still stored one at a time and announced in order.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { isPermanentFailure, type Hub } from '../hub/hub.ts';
import type { HubEvents, IngestBatch, IngestEffect } from '../hub/events.ts';
import { rateLimited, type Logger } from '../log/logger.ts';
import type { Backoff } from './backoff.ts';
import { toEffect, type PostScorer } from './effects.ts';
import type { IngestQueue } from './ingest-queue.ts';
import type { BatchScoring } from './scoring-thread.ts';
import type { DecodedEvent } from './jetstream-event.ts';
import { systemTimers, type Timers } from './upstream-connection.ts';

export interface IngestPipelineOptions {
  queue: IngestQueue<DecodedEvent>;
  hub: Hub<HubEvents>;
  scorer: PostScorer;
  /** Scores large batches elsewhere, such as on the scoring thread; `scorer` scores the rest. */
  scoring?: BatchScoring;
  maxTextLength: number;
  batchMaxEvents: number;
  /**
   * Shortest time between the starts of two partial batches, in milliseconds, and so the
   * longest the batcher holds an event back to fill its batch. An event that arrives after a quiet spell is
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
  /**
   * Starts the batching loop. The promise resolves when `stop` has drained the queue, and
   * rejects when the store failed permanently.
   */
  run(): Promise<void>;
  /** Publishes everything still queued, then ends the loop. */
  stop(): Promise<void>;
  /** Sets the cursor read from the store before `run`; batch cursors never go below it. */
  setStoredCursor(cursor: number | null): void;
  /** Stored cursor after the last commit, or the one read before `run`. */
  readonly committedCursor: number | null;
}

/** Scoring time after which the batcher yields, so pings, HTTP and the socket keep running. */
const SCORING_SLICE_MS = 4;

export function createIngestPipeline(options: IngestPipelineOptions): IngestPipeline {
  const { queue, hub, logger, now } = options;
  const timers = options.timers ?? systemTimers;
  const warnRetry = rateLimited(5, 60_000, now);

  let committedCursor: number | null = null;
  let stopping = false;
  let running: Promise<void> | null = null;
  /** Cursor of the last batch built; batches are stored in the order they are built. */
  let builtCursor: number | null = null;
  /** Durable write of the last batch built. */
  let storing: Promise<void> = Promise.resolve();
  /** Announcement of the last batch committed. */
  let announcing: Promise<void> = Promise.resolve();
  /** Cancellers of the waits in progress, which `stop` calls to end them early. */
  const waits = new Set<() => void>();
  let lastTakenAt = -Infinity;
  /** A permanent failure of the store, which ends the loop. */
  let halted: { error: unknown } | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      // A finished wait removes its own canceller, so the set contains only waits in progress.
      const finish = () => {
        waits.delete(cancel);
        resolve();
      };
      const cancel = () => {
        timers.clearTimeout(handle);
        finish();
      };
      const handle = timers.setTimeout(finish, ms);
      waits.add(cancel);
    });

  async function buildBatch(events: DecodedEvent[]): Promise<IngestBatch | null> {
    const scorer = options.scoring ? await options.scoring.prepare(events) : options.scorer;
    const effects: IngestEffect[] = [];
    let cursor = builtCursor ?? 0;
    let sliceStart = now();
    for (const event of events) {
      if (event.timeUs !== null && event.timeUs > cursor) cursor = event.timeUs;
      const effect = toEffect(event, scorer, options.maxTextLength);
      if (effect) effects.push(effect);
      if (now() - sliceStart >= SCORING_SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = now();
      }
    }
    // Frames without a readable time_us (unparseable ones) cannot move a cursor that was never set.
    if (cursor === 0) return null;
    builtCursor = cursor;
    return { effects, cursor, eventCount: events.length };
  }

  async function publishDurably(batch: IngestBatch): Promise<void> {
    for (;;) {
      try {
        await hub.publish('batch', batch);
        options.retryBackoff.reset();
        return;
      } catch (error) {
        if (isPermanentFailure(error)) throw error;
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

  function throwIfHalted(): void {
    if (halted) throw halted.error;
  }

  async function loop(): Promise<void> {
    for (;;) {
      throwIfHalted();
      if (queue.length === 0) {
        if (stopping) {
          await storing;
          return announcing;
        }
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

      await storing;
      throwIfHalted();
      storing = store(batch);
    }
  }

  async function store(batch: IngestBatch): Promise<void> {
    try {
      await publishDurably(batch);
    } catch (error) {
      // The loop may be waiting for events or for the batch interval: wake it so it ends now.
      halted = { error };
      for (const cancel of [...waits]) cancel();
      queue.cancel();
      return;
    }
    committedCursor = batch.cursor;
    // The announcement waits for the next event-loop turn, so the batcher hands the next batch
    // to the store first and the write thread is not left idle meanwhile.
    announcing = announcing.then(() => yieldToEventLoop()).then(() => announce(batch));
  }

  async function announce(batch: IngestBatch): Promise<void> {
    try {
      options.onCommitted(batch);
      await hub.publish('committed', batch);
    } catch (error) {
      // The batch is durable; a failing listener must not make the consumer store it again.
      logger.error({ err: error, cursor: batch.cursor }, 'a listener of committed batches failed');
    }
  }

  return {
    run() {
      running ??= loop();
      return running;
    },
    async stop() {
      stopping = true;
      for (const cancel of [...waits]) cancel();
      queue.cancel();
      // A loop that ended on a permanent failure has reported it through `run` already.
      await (running ?? Promise.resolve()).catch(() => undefined);
    },
    setStoredCursor(cursor) {
      committedCursor = cursor;
      builtCursor = cursor;
    },
    get committedCursor() {
      return committedCursor;
    },
  };
}
