import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { IngestBatch } from '../../src/hub/events.ts';
import type { Store } from '../../src/store/index.ts';
import {
  BASE_US, create, ftsMatches, openTestStore, post, remove, removeAccount, tableRows, testDatabase, update,
  type TestDatabase,
} from '../support/store-fixtures.ts';

interface Context {
  database?: TestDatabase;
  store?: Store;
}

const MINUTE_US = 60_000_000;
const minuteOf = (timeUs: number) => Math.floor(timeUs / MINUTE_US) * 60;

async function rollup(store: Store, timeUs: number) {
  const result = await store.client.execute({ sql: 'SELECT * FROM rollup_minutes WHERE minute_start = ?', args: [minuteOf(timeUs)] });
  return result.rows[0] ? { ...result.rows[0] } : null;
}

async function languages(store: Store, timeUs: number): Promise<Record<string, number>> {
  const result = await store.client.execute({
    sql: 'SELECT language, posts FROM rollup_languages WHERE minute_start = ? AND posts <> 0',
    args: [minuteOf(timeUs)],
  });
  return Object.fromEntries(result.rows.map((row) => [String(row[0]), Number(row[1])]));
}

const batchOf = (effects: IngestBatch['effects'], cursor = BASE_US + 1000): IngestBatch => ({ effects, cursor, eventCount: effects.length });

const write = suite<Context>('store batch write');

write.before.each(async (context) => {
  context.database = testDatabase();
  context.store = await openTestStore(context.database.url);
});

write.after.each(async (context) => {
  await context.store?.close();
  context.database?.remove();
});

write('same batch twice leaves identical rows', async ({ store }) => {
  const a = post('did:plc:alice', '3kaaa', { text: 'happy happy day', langs: ['en-US'], compound: 0.75 });
  const b = post('did:plc:bob', '3kbbb', { text: 'terrible news', label: 'negative', compound: -0.6, langs: ['pt-BR'], timeUs: BASE_US + 61 * 1_000_000 });
  const c = post('did:plc:carol', '3kccc', { text: 'sun', label: 'unscored', langs: [] });
  const gone = post('did:plc:dave', '3kddd');
  const batch = batchOf([create(a), create(b), create(c), create(gone), update({ ...a, text: 'happy again', sentiment: { ...a.sentiment, compound: 0.8 } }), remove(gone)]);

  await store!.applyBatch(batch);
  const snapshot = async () => ({
    posts: await tableRows(store!, 'posts', 'uri'),
    minutes: await tableRows(store!, 'rollup_minutes', 'minute_start'),
    languages: await tableRows(store!, 'rollup_languages', 'minute_start, language'),
    fts: await ftsMatches(store!, 'happy OR terrible OR sun OR post'),
    cursor: await store!.readCursor(),
    totals: store!.totals(),
  });
  const first = await snapshot();
  await store!.applyBatch(batch);
  const second = await snapshot();

  assert.equal(second.posts, first.posts, 'posts unchanged by the second application');
  assert.equal(second.minutes, first.minutes, 'minute roll-ups unchanged');
  assert.equal(second.languages, first.languages, 'language roll-ups unchanged');
  assert.equal(second.fts, first.fts, 'full-text matches unchanged');
  assert.equal(second.totals, first.totals, 'in-memory totals unchanged');
  assert.is(first.posts.length, 3, 'three posts alive');
  assert.is(await store!.countPosts(), 3, 'countPosts counts the alive posts');
  assert.equal(first.totals, { posts: 3, positive: 1, neutral: 0, negative: 1, unscored: 1 }, 'totals by label');
  assert.equal(await store!.labelTotals(), first.totals, 'database totals match the in-memory ones');
});

write('update replaces text, scores and roll-ups', async ({ store }) => {
  const original = post('did:plc:alice', '3kaaa', { text: 'wonderful morning', compound: 0.7 });
  await store!.applyBatch(batchOf([create(original)]));
  assert.equal(await ftsMatches(store!, 'wonderful'), [original.uri], 'original text indexed');

  const edited = post('did:plc:alice', '3kaaa', { text: 'awful morning', label: 'negative', compound: -0.4, langs: ['fr'], timeUs: BASE_US + 5 * MINUTE_US });
  await store!.applyBatch(batchOf([update(edited)], BASE_US + 5 * MINUTE_US));

  const page = await store!.listPosts({ limit: 10 });
  assert.is(page.posts.length, 1, 'still one post');
  assert.is(page.posts[0]!.text, 'awful morning', 'text replaced');
  assert.is(page.posts[0]!.sentiment.label, 'negative', 'label replaced');
  assert.is(page.posts[0]!.sentiment.compound, -0.4, 'compound replaced');
  assert.equal(page.posts[0]!.langs, ['fr'], 'langs replaced');
  assert.is(page.posts[0]!.indexedAt, new Date(BASE_US / 1000).toISOString(), 'an update keeps the time the post was first seen');
  assert.equal(await ftsMatches(store!, 'wonderful'), [], 'old text no longer matches');
  assert.equal(await ftsMatches(store!, 'awful'), [original.uri], 'new text matches');

  const minute = await rollup(store!, BASE_US);
  assert.is(minute?.positive, 0, 'old label left the roll-up');
  assert.is(minute?.negative, 1, 'new label entered the roll-up');
  assert.is(minute?.scored, 1, 'one scored post');
  assert.is(minute?.compound_sum_micro, -400_000, 'compound sum holds the new score only');
  assert.equal(await languages(store!, BASE_US), { fr: 1 }, 'language roll-up moved from en to fr');
  assert.is(await rollup(store!, BASE_US + 5 * MINUTE_US), null, 'no roll-up at the time of the update');
  assert.equal(store!.totals(), { posts: 1, positive: 0, neutral: 0, negative: 1, unscored: 0 }, 'totals follow the label');
});

write('delete removes row, text and roll-up', async ({ store }) => {
  const kept = post('did:plc:alice', '3kaaa', { text: 'kept sunshine' });
  const deleted = post('did:plc:bob', '3kbbb', { text: 'deleted sunshine', label: 'negative', compound: -0.3 });
  await store!.applyBatch(batchOf([create(kept), create(deleted)]));
  await store!.applyBatch(batchOf([remove(deleted)], BASE_US + 2000));

  assert.equal(await ftsMatches(store!, 'sunshine'), [kept.uri], 'deleted text gone from the index');
  assert.is(await store!.countPosts(), 1, 'one post left');
  const minute = await rollup(store!, BASE_US);
  assert.is(minute?.negative, 0, 'negative count back to zero');
  assert.is(minute?.positive, 1, 'positive count kept');
  assert.is(minute?.compound_sum_micro, 500_000, 'compound of the deleted post subtracted');
  assert.is(await store!.readCursor(), BASE_US + 2000, 'cursor of the delete batch stored');

  await store!.applyBatch(batchOf([remove(deleted)], BASE_US + 2000));
  assert.is((await rollup(store!, BASE_US))?.negative, 0, 'deleting again changes nothing');
});

write('account removal deletes every post of the DID', async ({ store }) => {
  const did = 'did:plc:leaving';
  const posts = [post(did, '3k1'), post(did, '3k2', { label: 'neutral', compound: 0 }), post(did, '3k3', { timeUs: BASE_US + 3 * MINUTE_US })];
  const neighbour = post('did:plc:leavingtoo', '3k1');
  await store!.applyBatch(batchOf([...posts.map(create), create(neighbour)]));
  await store!.applyBatch(batchOf([removeAccount(did)], BASE_US + 4 * MINUTE_US));

  const left = (await store!.listPosts({ limit: 10 })).posts.map((item) => item.uri);
  assert.equal(left, [neighbour.uri], 'only the DID that merely shares a prefix keeps its post');
  assert.is((await rollup(store!, BASE_US))?.positive, 1, 'roll-up keeps only the neighbour');
  assert.is((await rollup(store!, BASE_US + 3 * MINUTE_US))?.positive, 0, 'later minute emptied');
  assert.equal(store!.totals(), { posts: 1, positive: 1, neutral: 0, negative: 0, unscored: 0 }, 'totals after the removal');
});

write('effects within one batch apply in order', async ({ store }) => {
  const a = post('did:plc:a', '3ka', { text: 'first version' });
  const b = post('did:plc:b', '3kb', { text: 'brief life' });
  const c = post('did:plc:c', '3kc', { text: 'old account post' });
  await store!.applyBatch(batchOf([create(c)]));

  const recreated = post('did:plc:c', '3kc', { text: 'fresh account post', timeUs: BASE_US + MINUTE_US });
  await store!.applyBatch(batchOf([
    create(a),
    update({ ...a, text: 'second version', timeUs: BASE_US + 10 }),
    create(b),
    remove(b),
    removeAccount('did:plc:c'),
    create(recreated),
  ]));

  const texts = (await store!.listPosts({ limit: 10 })).posts.map((item) => item.text).sort();
  assert.equal(texts, ['fresh account post', 'second version'], 'final state of each post');
  assert.equal(await ftsMatches(store!, 'version'), [a.uri], 'index holds the updated text once');
  assert.equal(await ftsMatches(store!, 'old'), [], 'text of the removed account gone');
  assert.equal(await ftsMatches(store!, 'brief'), [], 'post created and deleted in one batch is not indexed');
  assert.is((await rollup(store!, BASE_US))?.positive, 1, 'first minute counts the updated post only');
  assert.is((await rollup(store!, BASE_US + MINUTE_US))?.positive, 1, 'the re-created post counts in its own minute');
});

write('malformed effects are rejected and counted', async ({ store }) => {
  const good = post('did:plc:good', '3kgood');
  const bad = { ...post('did:plc:bad', '3kbad'), timeUs: Number.NaN };
  const worse = { ...post('did:plc:worse', '3kworse'), sentiment: { neg: 0, neu: 1, pos: 0, compound: Infinity, label: 'positive' as const } };
  await store!.applyBatch(batchOf([create(good), create(bad), create(worse)]));
  assert.is(await store!.countPosts(), 1, 'the valid post is stored');
  assert.is(store!.rejectedEffects(), 2, 'both malformed effects counted');
});

write('cursor never moves backwards', async ({ store }) => {
  assert.is(await store!.readCursor(), null, 'no cursor before the first batch');
  await store!.applyBatch(batchOf([], BASE_US + 500));
  assert.is(await store!.readCursor(), BASE_US + 500, 'empty batch stores its cursor');
  await store!.applyBatch(batchOf([create(post('did:plc:x', '3kx'))], BASE_US + 100));
  assert.is(await store!.readCursor(), BASE_US + 500, 'an older batch (a rewind) keeps the later cursor');
  assert.is(await store!.countPosts(), 1, 'its effects are still written');
});

write.run();
