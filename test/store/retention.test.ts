import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { IngestEffect } from '../../src/hub/events.ts';
import type { Store } from '../../src/store/index.ts';
import { capturingLogger, create, ftsMatches, openTestStore, post, tableRows, testDatabase, type TestDatabase } from '../support/store-fixtures.ts';

const DAY_MS = 86_400_000;
const NOW_MS = Date.UTC(2026, 6, 10, 12, 0, 0);
const usAgo = (days: number) => (NOW_MS - days * DAY_MS) * 1000;

interface Context {
  database?: TestDatabase;
  store?: Store;
  /** Clock of the store, in ms. */
  clock: number;
}

/** 30 posts older than 7 days (10 of them older than 30 days) and 20 newer ones. */
function history(): { effects: IngestEffect[]; old: string[]; young: string[] } {
  const effects: IngestEffect[] = [];
  const old: string[] = [];
  const young: string[] = [];
  for (let index = 0; index < 50; index += 1) {
    let age = 6.99 - index / 100;
    if (index < 30) age = 7.01 + index / 100;
    if (index < 10) age = 40 + index;
    const record = post(`did:plc:user${index}`, `3k${index}`, {
      text: `retention sample ${index < 30 ? 'ancient' : 'recent'}`,
      label: index % 2 === 0 ? 'positive' : 'negative',
      compound: index % 2 === 0 ? 0.5 : -0.5,
      timeUs: Math.round(usAgo(age)),
    });
    effects.push(create(record));
    (index < 30 ? old : young).push(record.uri);
  }
  return { effects, old, young };
}

const retention = suite<Context>('store retention');

retention.before.each(async (context) => {
  context.database = testDatabase();
  context.clock = NOW_MS;
  context.store = await openTestStore(context.database.url, {
    now: () => context.clock,
    pruneChunkSize: 7,
    env: { RETENTION_DAYS: '7', ROLLUP_RETENTION_DAYS: '30' },
  });
});

retention.after.each(async (context) => {
  await context.store?.close();
  context.database?.remove();
});

retention('prunes exactly the old posts, keeps roll-ups', async (context) => {
  const store = context.store;
  const { effects, young } = history();
  // Written 20 days ago, when even the oldest posts were inside the roll-up retention.
  context.clock = NOW_MS - 20 * DAY_MS;
  await store!.applyBatch({ effects, cursor: usAgo(0), eventCount: effects.length });
  context.clock = NOW_MS;
  const minutesBefore = (await tableRows(store!, 'rollup_minutes', 'minute_start')) as Array<{ minute_start: number }>;

  const result = await store!.pruneOnce(NOW_MS);
  assert.is(result.posts, 30, 'thirty posts older than seven days removed over several chunks');

  const left = (await store!.listPosts({ limit: 100 })).posts.map((item) => item.uri).sort();
  assert.equal(left, [...young].sort(), 'exactly the younger posts remain');
  assert.equal(await ftsMatches(store!, 'ancient'), [], 'text of pruned posts gone from the index');
  assert.is((await ftsMatches(store!, 'recent')).length, 20, 'text of kept posts still indexed');
  await store!.client.execute("INSERT INTO posts_fts (posts_fts) VALUES ('integrity-check')");

  const cutoffSeconds = (NOW_MS - 30 * DAY_MS) / 1000;
  const minutesAfter = (await tableRows(store!, 'rollup_minutes', 'minute_start')) as Array<{ minute_start: number }>;
  assert.equal(minutesAfter, minutesBefore.filter((row) => row.minute_start >= cutoffSeconds), 'roll-ups of pruned posts kept; only minutes older than 30 days removed');
  assert.is(result.rollupMinutes, minutesBefore.length - minutesAfter.length, 'result counts removed minutes');
  assert.is(minutesBefore.length - minutesAfter.length, 10, 'the ten minutes older than thirty days went');
  const languageMinutes = await store!.client.execute({ sql: 'SELECT count(*) FROM rollup_languages WHERE minute_start < ?', args: [cutoffSeconds] });
  assert.is(Number(languageMinutes.rows[0]![0]), 0, 'language roll-ups pruned with the same cutoff');

  assert.equal(store!.totals(), { posts: 20, positive: 10, neutral: 0, negative: 10, unscored: 0 }, 'in-memory totals follow the prune');
  assert.equal(await store!.labelTotals(), store!.totals(), 'and match the database');

  const again = await store!.pruneOnce(NOW_MS);
  assert.equal(again, { posts: 0, rollupMinutes: 0 }, 'a second run finds nothing');
});

retention('deltas older than roll-up retention are skipped', async ({ store }) => {
  const ancient = post('did:plc:late', '3kold', { timeUs: Math.round(usAgo(45)) });
  await store!.applyBatch({ effects: [create(ancient)], cursor: usAgo(0), eventCount: 1 });
  const minutes = await tableRows(store!, 'rollup_minutes', 'minute_start');
  assert.equal(minutes, [], 'no roll-up minute is created before the roll-up horizon');
  assert.is(await store!.countPosts(), 1, 'the post itself is stored until retention removes it');
});

retention('timer prunes without being asked and stops on close', async () => {
  const other = testDatabase();
  const { logger, lines } = capturingLogger();
  const store = await openTestStore(other.url, { now: () => NOW_MS, logger, pruneIntervalMs: 20, env: { RETENTION_DAYS: '7' } });
  try {
    const { effects } = history();
    await store.applyBatch({ effects, cursor: usAgo(0), eventCount: effects.length });
    // The totals change when the posts are deleted, and the log line follows once the roll-ups
    // are pruned too, so the test waits for both.
    const loggedPrune = () => lines.some((line) => line.msg === 'retention pruned old rows' && line.posts === 30);
    const deadline = Date.now() + 5000;
    while ((store.totals().posts !== 20 || !loggedPrune()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.is(store.totals().posts, 20, 'the timer pruned the old posts');
    assert.ok(loggedPrune(), 'the prune is logged with its count');
  } finally {
    await store.close();
    other.remove();
  }
  const logged = lines.length;
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.is(lines.length, logged, 'nothing runs after close (a prune on a closed client would log an error)');
});

retention.run();
