/**
 * Retention: removes posts older than RETENTION_DAYS in small transactions, so the ingest
 * writer never waits long behind a prune, and roll-up minutes older than ROLLUP_RETENTION_DAYS.
 * Roll-ups are not adjusted for pruned posts: they keep the history after the posts are gone.
 */
import type { BatchRunner } from './write-thread.ts';
import type { LabelCounts } from '../hub/events.ts';

export interface PruneLimits {
  /** Posts whose Jetstream time is before this (µs) are removed. */
  postCutoffUs: number;
  /** Roll-up minutes starting before this (seconds since the epoch) are removed. */
  rollupCutoffSeconds: number;
  /** Posts removed per transaction. */
  chunkSize: number;
}

export interface PruneChunk {
  removed: LabelCounts;
  count: number;
}

/** Removes up to `chunkSize` of the oldest expired posts with their full-text entries. */
export async function pruneChunk(runner: BatchRunner, limits: PruneLimits): Promise<PruneChunk> {
  const expired = 'SELECT id FROM posts WHERE time_us < ? ORDER BY time_us LIMIT ?';
  const args = [limits.postCutoffUs, limits.chunkSize];
  const results = await runner.batch(
    [
      { sql: `SELECT label, count(*) FROM posts WHERE id IN (${expired}) GROUP BY label`, args },
      {
        sql: `INSERT INTO posts_fts (posts_fts, rowid, text)
          SELECT 'delete', id, text FROM posts WHERE id IN (${expired}) AND text <> ''`,
        args,
      },
      { sql: `DELETE FROM posts WHERE id IN (${expired})`, args },
    ],
  );
  const removed: LabelCounts = { positive: 0, neutral: 0, negative: 0, unscored: 0 };
  let count = 0;
  for (const row of results[0]!.rows) {
    const label = String(row[0]) as keyof LabelCounts;
    if (label in removed) removed[label] += Number(row[1]);
    count += Number(row[1]);
  }
  return { removed, count };
}

/** Removes expired roll-up minutes; returns how many minutes went. */
export async function pruneRollups(runner: BatchRunner, limits: PruneLimits): Promise<number> {
  const results = await runner.batch(
    [
      { sql: 'DELETE FROM rollup_minutes WHERE minute_start < ?', args: [limits.rollupCutoffSeconds] },
      { sql: 'DELETE FROM rollup_languages WHERE minute_start < ?', args: [limits.rollupCutoffSeconds] },
    ],
  );
  return results[0]!.rowsAffected;
}
