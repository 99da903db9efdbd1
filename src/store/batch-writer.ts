/**
 * Commits ingest batches: one attempt (`apply`) for callers that handle failure themselves, and
 * `applyDurably` for the hub, which retries with backoff until the batch is committed or the
 * store closes. A failed attempt is rolled back by the driver, so no transaction stays open.
 */
import { performance } from 'node:perf_hooks';
import type { IngestBatch, LabelCounts } from '../hub/events.ts';
import { rateLimited, type Logger } from '../log/logger.ts';
import { StoreError } from './errors.ts';
import { planBatch } from './batch-plan.ts';
import { writeBatch } from './write-batch.ts';
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

  const apply = (batch: IngestBatch): Promise<void> =>
    serial(async () => {
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
      let labelDelta: LabelCounts;
      try {
        ({ labelDelta } = await writeBatch(runner, plan, batch.cursor, options.rollupHorizonSeconds()));
      } catch (error) {
        await options.afterFailure?.().catch((cleanupError: unknown) => logger.warn({ err: cleanupError }, 'connection reset after a failed write failed'));
        throw error;
      }
      addLabels(totals, labelDelta);
      options.onBatchWritten?.((performance.now() - started) / 1000, batch.effects.length);
    });

  const applyDurably = async (batch: IngestBatch): Promise<void> => {
    let delay = options.retryMinMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await apply(batch);
        if (attempt > 1) logger.info({ attempt, batchSize: batch.effects.length, cursor: batch.cursor }, 'batch written after retry');
        return;
      } catch (error) {
        if (signal.aborted) throw error instanceof StoreError ? error : closedError(batch, error);
        const busy = isBusy(error);
        warnRetry((suppressed) => {
          const fields = { err: error, attempt, delayMs: delay, batchSize: batch.effects.length, cursor: batch.cursor, suppressed };
          if (busy) logger.warn(fields, 'database locked by another connection; batch write will be retried');
          else logger.error(fields, 'batch write failed and was rolled back; it will be retried');
        });
        if (!(await sleep(delay, signal))) throw closedError(batch, error);
        delay = Math.min(delay * 2, options.retryMaxMs);
      }
    }
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
