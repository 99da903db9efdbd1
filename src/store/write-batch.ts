/**
 * Writes one batch plan and the cursor in a single write transaction (`BEGIN IMMEDIATE`).
 *
 * Every step is one multi-row statement over a JSON parameter read with `json_each`. A batch
 * therefore costs the same dozen statement preparations however many posts it holds. The
 * full-text index receives each batch's text in one statement, because FTS5 writes an index
 * segment per statement. Roll-ups and label totals are adjusted from the difference between the
 * rows the batch replaced and the rows it left, collected in the temporary table `batch_changes`.
 */
import type { InStatement } from '@libsql/client';
import type { LabelCounts } from '../hub/events.ts';
import type { BatchPlan } from './batch-plan.ts';
import type { BatchRunner } from './write-thread.ts';

const POST_COLUMNS =
  'uri, did, rkey, text, langs, language, created_at, time_us, is_reply, is_quote, neg, neu, pos, compound, label';
const ROW_VALUES = Array.from({ length: 15 }, (_, index) => `value ->> ${index}`).join(', ');

/** Post id and roll-up keys of a row, as stored in `batch_changes`. */
const CHANGE_COLUMNS = `id, time_us / 60000000 * 60, label, CAST(round(compound * 1000000) AS INTEGER), language`;

/** Ids of the stored posts of the DIDs in a JSON array; every uri starts with `at://<did>/`. */
const ACCOUNT_POSTS = `SELECT p.id FROM json_each(?) d
  JOIN posts p ON p.uri >= 'at://' || d.value || '/' AND p.uri < 'at://' || d.value || '0'`;

const SETUP = [
  // sign is -1 for a row the batch removed or replaced (with its old text, which the full-text
  // index needs to remove its terms) and +1 for a row the batch left.
  `CREATE TEMP TABLE IF NOT EXISTS batch_changes (
    sign INTEGER NOT NULL, id INTEGER NOT NULL, minute_start INTEGER NOT NULL,
    label TEXT NOT NULL, compound_micro INTEGER NOT NULL, language TEXT NOT NULL, text TEXT
  )`,
  'CREATE TEMP TABLE IF NOT EXISTS batch_mark (max_id INTEGER NOT NULL)',
  'DELETE FROM temp.batch_changes',
  'DELETE FROM temp.batch_mark',
];

export interface BatchWriteResult {
  /** Change in stored posts by label. */
  labelDelta: LabelCounts;
}

/** The statements of one batch write, built ahead so they are ready when the previous write ends. */
export interface PreparedBatchWrite {
  list: InStatement[];
  /** Index of the statement whose rows are the label changes, or -1 when there is none. */
  totalsIndex: number;
}

/**
 * Builds the statements that apply `plan` and store `cursor` (never moving the stored cursor
 * backwards). Roll-up minutes that start before `rollupHorizonSeconds` are left alone, since
 * retention removed them.
 */
export function prepareBatchWrite(plan: BatchPlan, cursor: number, rollupHorizonSeconds: number): PreparedBatchWrite {
  return buildStatements(plan, cursor, rollupHorizonSeconds);
}

/** Runs a prepared batch write in one write transaction. */
export async function runBatchWrite(runner: BatchRunner, statements: PreparedBatchWrite): Promise<BatchWriteResult> {
  const results = await runner.batch(statements.list);
  const labelDelta: LabelCounts = { positive: 0, neutral: 0, negative: 0, unscored: 0 };
  if (statements.totalsIndex < 0) return { labelDelta };
  for (const row of results[statements.totalsIndex]!.rows) {
    const label = String(row[0]) as keyof LabelCounts;
    if (label in labelDelta) labelDelta[label] += Number(row[1]);
  }
  return { labelDelta };
}

function buildStatements(plan: BatchPlan, cursor: number, rollupHorizonSeconds: number): PreparedBatchWrite {
  const cursorStatement = {
    sql: 'INSERT INTO cursor (id, time_us) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET time_us = max(time_us, excluded.time_us)',
    args: [cursor],
  };
  const hasDids = plan.removedDids.length > 0;
  if (plan.deleteUris.length + plan.creates.length + plan.updates.length === 0 && !hasDids) {
    return { list: [cursorStatement], totalsIndex: -1 };
  }

  const list: InStatement[] = SETUP.map((sql) => ({ sql, args: [] }));
  const dids = JSON.stringify(plan.removedDids);
  const updateUris = plan.updates.map((row) => row[0]);

  // 1. Rows about to be removed or replaced: their old values leave the roll-ups and the index.
  const replacedUris = [...plan.deleteUris, ...updateUris];
  if (replacedUris.length > 0 || hasDids) {
    list.push({
      sql: `INSERT INTO temp.batch_changes
        SELECT -1, ${CHANGE_COLUMNS}, text FROM posts WHERE uri IN (SELECT value FROM json_each(?))
        ${hasDids ? `UNION SELECT -1, ${CHANGE_COLUMNS}, text FROM posts WHERE id IN (${ACCOUNT_POSTS})` : ''}`,
      args: hasDids ? [JSON.stringify(replacedUris), dids] : [JSON.stringify(replacedUris)],
    });
  }

  // 2. Deletes and account removals.
  if (plan.deleteUris.length > 0) {
    list.push({ sql: 'DELETE FROM posts WHERE uri IN (SELECT value FROM json_each(?))', args: [JSON.stringify(plan.deleteUris)] });
  }
  if (hasDids) {
    list.push({ sql: `DELETE FROM posts WHERE id IN (${ACCOUNT_POSTS})`, args: [dids] });
  }

  // 3. Inserts and updates. New rows get ids above the current maximum; step 4 finds them so.
  list.push({ sql: 'INSERT INTO temp.batch_mark SELECT coalesce(max(id), 0) FROM posts', args: [] });
  if (plan.creates.length > 0) {
    list.push({
      sql: `INSERT INTO posts (${POST_COLUMNS}) SELECT ${ROW_VALUES} FROM json_each(?) WHERE true ON CONFLICT (uri) DO NOTHING`,
      args: [JSON.stringify(plan.creates)],
    });
  }
  if (plan.updates.length > 0) {
    list.push({
      sql: `INSERT INTO posts (${POST_COLUMNS}) SELECT ${ROW_VALUES} FROM json_each(?) WHERE true
        ON CONFLICT (uri) DO UPDATE SET text = excluded.text, langs = excluded.langs, language = excluded.language,
          created_at = excluded.created_at, is_reply = excluded.is_reply, is_quote = excluded.is_quote,
          neg = excluded.neg, neu = excluded.neu, pos = excluded.pos, compound = excluded.compound, label = excluded.label`,
      args: [JSON.stringify(plan.updates)],
    });
  }

  // 4. Rows the batch left: inserted ones and updated ones.
  list.push({
    sql: `INSERT INTO temp.batch_changes SELECT 1, ${CHANGE_COLUMNS}, NULL FROM posts
      WHERE id > (SELECT max_id FROM temp.batch_mark)${updateUris.length > 0 ? ' OR uri IN (SELECT value FROM json_each(?))' : ''}`,
    args: updateUris.length > 0 ? [JSON.stringify(updateUris)] : [],
  });

  // 5. The full-text index in one statement: FTS5 writes one segment per statement, so one
  // statement per batch keeps segments few. Old terms go first, because an updated row keeps
  // its id. A NULL command column makes the row an ordinary insert.
  list.push({
    sql: `INSERT INTO posts_fts (posts_fts, rowid, text)
      SELECT 'delete', id, text FROM temp.batch_changes WHERE sign = -1 AND text <> ''
      UNION ALL
      SELECT NULL, p.id, p.text FROM temp.batch_changes c JOIN posts p ON p.id = c.id WHERE c.sign = 1 AND p.text <> ''`,
    args: [],
  });

  // 6. Roll-ups and totals from the difference.
  list.push({
    sql: `INSERT INTO rollup_minutes (minute_start, positive, neutral, negative, unscored, scored, compound_sum_micro)
      SELECT minute_start,
        sum(CASE WHEN label = 'positive' THEN sign ELSE 0 END),
        sum(CASE WHEN label = 'neutral' THEN sign ELSE 0 END),
        sum(CASE WHEN label = 'negative' THEN sign ELSE 0 END),
        sum(CASE WHEN label = 'unscored' THEN sign ELSE 0 END),
        sum(CASE WHEN label <> 'unscored' THEN sign ELSE 0 END),
        sum(CASE WHEN label <> 'unscored' THEN sign * compound_micro ELSE 0 END)
      FROM temp.batch_changes WHERE minute_start >= ? GROUP BY minute_start
      ON CONFLICT (minute_start) DO UPDATE SET
        positive = positive + excluded.positive, neutral = neutral + excluded.neutral,
        negative = negative + excluded.negative, unscored = unscored + excluded.unscored,
        scored = scored + excluded.scored, compound_sum_micro = compound_sum_micro + excluded.compound_sum_micro`,
    args: [rollupHorizonSeconds],
  });
  list.push({
    sql: `INSERT INTO rollup_languages (minute_start, language, posts)
      SELECT minute_start, language, sum(sign) FROM temp.batch_changes
      WHERE minute_start >= ? GROUP BY minute_start, language HAVING sum(sign) <> 0
      ON CONFLICT (minute_start, language) DO UPDATE SET posts = posts + excluded.posts`,
    args: [rollupHorizonSeconds],
  });
  const totalsIndex = list.length;
  list.push({ sql: 'SELECT label, sum(sign) FROM temp.batch_changes GROUP BY label', args: [] });
  list.push(cursorStatement);
  return { list, totalsIndex };
}
