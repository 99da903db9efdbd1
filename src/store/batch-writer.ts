/**
 * Commits ingest batches: one attempt (`apply`) for callers that handle failure themselves, and
 * `applyDurably` for the hub, which retries with backoff until the batch is committed or the
 * store closes. A failed attempt is rolled back by the driver, so no transaction stays open.
 */
import { performance } from 'node:perf_hooks';
import type { IngestBatch, LabelCounts } from '../hub/events.ts';
import { isPermanentFailure } from '../hub/hub.ts';
import { rateLimited, type Logger } from '../log/logger.ts';
import { StoreError } from './errors.ts';
import { planBatch } from './batch-plan.ts';
import { prepareBatchWrite, runBatchWrite, type PreparedBatchWrite } from './write-batch.ts';
import { sleep } from './sleep.ts';
import type { BatchRunner } from './write-thread.ts';
import type { PostTotals } from './types.ts';

export interface BatchWriterOptions {
  /** Runs the statements of one batch in one write transaction. */
  runner: BatchRunner;
  logger: Logger;
  /** Runs database writes one at a time (shared with retention). */
  serial: <T>(task: () => Promise<T>) => Promise<T>;
  totals: PostTotals;
  /** Start of the oldest roll-up minute kept, in seconds since the epoch. */
  rollupHorizonSeconds: () => number;
  /** Aborted when the store closes; ends the retry loop. */
  signal: AbortSignal;
  retryMinMs: number;
  retryMaxMs: number;
  /** Runs after every failed attempt, before the error reaches the caller. */
  afterFailure?: () => Promise<void>;
  onBatchWritten?: (durationSeconds: number, effectCount: number) => void;
}

export interface BatchWriter {
  apply(batch: IngestBatch): Promise<void>;
  applyDurably(batch: IngestBatch): Promise<void>;
  /** Effects rejected as malformed since the store opened. */
  rejectedEffects(): number;
}

export function createBatchWriter(options: BatchWriterOptions): BatchWriter {
  const { runner, logger, serial, totals, signal } = options;
  const warnRejected = rateLimited(5, 60_000);
  const warnRetry = rateLimited(10, 60_000);
  let rejected = 0;

  /**
   * Plans the batch and builds its statements. This runs as soon as a batch arrives, outside
   * the serial queue, so a batch that arrives while another is written is ready when it ends.
   */
  const prepare = (batch: IngestBatch): { statements: PreparedBatchWrite; prepareMs: number } => {
    if (signal.aborted) throw closedError(batch);
    const started = performance.now();
    const plan = planBatch(batch.effects);
    if (plan.rejected.length > 0) {
      rejected += plan.rejected.length;
      const first = plan.rejected[0]!;
      warnRejected((suppressed) =>
        logger.warn({ rejected: plan.rejected.length, reason: first.reason, uri: first.uri, cursor: batch.cursor, suppressed }, 'malformed effects rejected'),
      );
    }
    const statements = prepareBatchWrite(plan, batch.cursor, options.rollupHorizonSeconds());
    return { statements, prepareMs: performance.now() - started };
  };

  /** Makes one attempt at the write; called inside the serial queue. */
  const attempt = async (batch: IngestBatch, prepared: ReturnType<typeof prepare>): Promise<void> => {
    if (signal.aborted) throw closedError(batch);
    const started = performance.now();
    let labelDelta: LabelCounts;
    try {
      ({ labelDelta } = await runBatchWrite(runner, prepared.statements));
    } catch (error) {
      await options.afterFailure?.().catch((cleanupError: unknown) => logger.warn({ err: cleanupError }, 'connection reset after a failed write failed'));
      throw error;
    }
    addLabels(totals, labelDelta);
    options.onBatchWritten?.((prepared.prepareMs + performance.now() - started) / 1000, batch.effects.length);
  };

  const apply = async (batch: IngestBatch): Promise<void> => {
    const prepared = prepare(batch);
    await serial(() => attempt(batch, prepared));
  };

  // The retries stay inside the serial queue: a batch queued behind a failing one waits until
  // it is committed, so batches are committed in the order they arrived, even when a write fails.
  const applyDurably = async (batch: IngestBatch): Promise<void> => {
    const prepared = prepare(batch);
    await serial(async () => {
      let delay = options.retryMinMs;
      for (let attemptNumber = 1; ; attemptNumber += 1) {
        try {
          await attempt(batch, prepared);
          if (attemptNumber > 1) logger.info({ attempt: attemptNumber, batchSize: batch.effects.length, cursor: batch.cursor }, 'batch written after retry');
          return;
        } catch (error) {
          if (signal.aborted) throw error instanceof StoreError ? error : closedError(batch, error);
          if (isPermanentFailure(error)) throw error;
          const busy = isBusy(error);
          warnRetry((suppressed) => {
            const fields = { err: error, attempt: attemptNumber, delayMs: delay, batchSize: batch.effects.length, cursor: batch.cursor, suppressed };
            if (busy) logger.warn(fields, 'database locked by another connection; batch write will be retried');
            else logger.error(fields, 'batch write failed and was rolled back; it will be retried');
          });
          if (!(await sleep(delay, signal))) throw closedError(batch, error);
          delay = Math.min(delay * 2, options.retryMaxMs);
        }
      }
    });
  };

  return { apply, applyDurably, rejectedEffects: () => rejected };
}

export function addLabels(totals: PostTotals, delta: LabelCounts, sign = 1): void {
  for (const label of ['positive', 'neutral', 'negative', 'unscored'] as const) {
    totals[label] += sign * delta[label];
    totals.posts += sign * delta[label];
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || String(code).startsWith('SQLITE_BUSY');
}

function closedError(batch: IngestBatch, cause?: unknown): StoreError {
  return new StoreError(
    'STORE_CLOSED',
    `The store closed before the batch up to cursor ${batch.cursor} (${batch.effects.length} effects) was written; it was not committed.`,
    { cause },
  );
}
