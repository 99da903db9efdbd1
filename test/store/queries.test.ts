import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Post, SentimentLabel } from '../../src/hub/events.ts';
import { createScorer } from '../../src/sentiment/index.ts';
import type { Store } from '../../src/store/index.ts';
import { requireSharedData, skipWithoutSharedData } from '../support/shared-data.ts';
import { readLines, toBatches } from '../support/bench-effects.ts';
import { openTestStore, testDatabase, type TestDatabase } from '../support/store-fixtures.ts';

/** A post as the test tracks it from the file: final text and score, first-seen time. */
interface Expected {
  uri: string;
  order: number;
  timeUs: number;
  text: string;
  langs: string[];
  label: SentimentLabel;
  compound: number;
}

interface Context {
  skip: boolean;
  database?: TestDatabase;
  store?: Store;
  alive: Expected[];
  lastMs: number;
}

/** Language bucket as documented: primary subtag (2-3 letters) of the first well-formed tag, else `und`. */
function languageBucket(langs: string[]): string {
  for (const tag of langs) {
    const subtag = tag.split('-')[0]!.toLowerCase();
    if (/^[a-z]{2,3}$/.test(subtag)) return subtag;
  }
  return 'und';
}

/** Splits text into tokens as the unicode61 tokenizer with remove_diacritics does. */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .map((word) => word.normalize('NFD').replace(/\p{M}/gu, ''))
    .filter((word) => word !== '');
}

const newestFirst = (a: Expected, b: Expected) => b.timeUs - a.timeUs || b.order - a.order;
const uris = (posts: Array<Post | Expected>) => posts.map((item) => item.uri);

async function allPages(store: Store, query: Parameters<Store['listPosts']>[0]): Promise<Post[]> {
  const posts: Post[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page += 1) {
    const result = await store.listPosts({ ...query, cursor });
    posts.push(...result.posts);
    if (!result.next) return posts;
    cursor = result.next;
  }
  throw new Error('more than 1000 pages');
}

const queries = suite<Context>('store queries on the bench file');

queries.before(async (context) => {
  context.skip = skipWithoutSharedData('jetstream-bench.ndjson');
  if (context.skip) return;
  const lines = readLines(requireSharedData('jetstream-bench.ndjson'));
  const scorer = createScorer();
  const score = (text: string, langs: readonly string[]) => scorer.score(text, langs);

  const state = new Map<string, Expected>();
  let order = 0;
  for (const line of lines) {
    if (line.kind !== 'commit' || line.commit?.collection !== 'app.bsky.feed.post') continue;
    const uri = `at://${line.did}/app.bsky.feed.post/${line.commit.rkey}`;
    if (line.commit.operation === 'delete') {
      state.delete(uri);
      continue;
    }
    const record = line.commit.record ?? {};
    const text = typeof record.text === 'string' ? record.text : '';
    const langs = Array.isArray(record.langs) ? (record.langs as string[]) : [];
    const sentiment = score(text, langs);
    const previous = state.get(uri);
    if (previous && line.commit.operation === 'create') continue;
    state.set(uri, {
      uri,
      order: previous?.order ?? order++,
      timeUs: previous?.timeUs ?? line.time_us,
      text,
      langs,
      label: sentiment.label,
      compound: sentiment.compound,
    });
  }
  context.alive = [...state.values()];
  context.lastMs = Math.floor(lines.at(-1)!.time_us / 1000);

  context.database = testDatabase();
  context.store = await openTestStore(context.database.url, { now: () => context.lastMs });
  for (const batch of toBatches(lines, 2000, score)) await context.store.applyBatch(batch);
});

queries.after(async (context) => {
  await context.store?.close();
  context.database?.remove();
});

queries('counts and label totals', async ({ skip, store, alive }) => {
  if (skip) return;
  assert.is(await store!.countPosts(), alive.length, 'countPosts');
  const expected = { posts: alive.length, positive: 0, neutral: 0, negative: 0, unscored: 0 };
  for (const item of alive) expected[item.label] += 1;
  assert.equal(await store!.labelTotals(), expected, 'labelTotals from the database');
  assert.equal(store!.totals(), expected, 'in-memory totals');
});

queries('listing pages through every post newest first', async ({ skip, store, alive }) => {
  if (skip) return;
  const posts = await allPages(store!, { limit: 1000 });
  assert.equal(uris(posts), uris([...alive].sort(newestFirst)), 'all posts in (time, insertion) order, none twice');
  const sample = posts[123]!;
  const source = alive.find((item) => item.uri === sample.uri)!;
  assert.is(sample.text, source.text, 'text of a sample post');
  assert.is(sample.sentiment.label, source.label, 'label of a sample post');
  assert.is(sample.indexedAt, new Date(Math.floor(source.timeUs / 1000)).toISOString(), 'indexedAt from time_us');
});

queries('filters by label, language and time', async ({ skip, store, alive }) => {
  if (skip) return;
  const sorted = [...alive].sort(newestFirst);
  const negative = await allPages(store!, { limit: 500, label: 'negative' });
  assert.equal(uris(negative), uris(sorted.filter((item) => item.label === 'negative')), 'label=negative');

  const japanese = await allPages(store!, { limit: 100, language: 'JA' });
  const expectedJapanese = sorted.filter((item) => languageBucket(item.langs) === 'ja');
  assert.ok(expectedJapanese.length > 0, 'the file has Japanese posts');
  assert.equal(uris(japanese), uris(expectedJapanese), 'language=ja, case-insensitive');
  const undetermined = await allPages(store!, { limit: 1000, language: 'und' });
  assert.equal(uris(undetermined), uris(sorted.filter((item) => languageBucket(item.langs) === 'und')), 'language=und');

  const middle = sorted[Math.floor(sorted.length / 2)]!.timeUs;
  const since = Math.floor(middle / 1000) - 60_000;
  const until = Math.floor(middle / 1000) + 60_000;
  const window = await allPages(store!, { limit: 250, since, until, label: 'positive', language: 'en' });
  const expectedWindow = sorted.filter(
    (item) => item.timeUs >= since * 1000 && item.timeUs < until * 1000 && item.label === 'positive' && languageBucket(item.langs) === 'en',
  );
  assert.ok(expectedWindow.length > 0, 'the window holds posts');
  assert.equal(uris(window), uris(expectedWindow), 'two-minute window, positive, English');
});

queries('keyword search matches whole words', async ({ skip, store, alive }) => {
  if (skip) return;
  const sorted = [...alive].sort(newestFirst);
  const cases: Array<[string, (tokens: string[]) => boolean]> = [
    ['movie', (tokens) => tokens.includes('movie')],
    ['Movie FILM', (tokens) => tokens.includes('movie') && tokens.includes('film')],
    ['movie OR film', (tokens) => tokens.includes('movie') || tokens.includes('film')],
    ['movie -bad', (tokens) => tokens.includes('movie') && !tokens.includes('bad')],
    ['happ*', (tokens) => tokens.some((token) => token.startsWith('happ'))],
  ];
  for (const [keyword, matches] of cases) {
    const found = await allPages(store!, { limit: 1000, keyword });
    const expected = sorted.filter((item) => matches(words(item.text)));
    assert.ok(expected.length > 0, `${keyword}: the file has matching posts`);
    assert.equal(uris(found), uris(expected), `keyword ${JSON.stringify(keyword)}`);
  }

  const phrase = await allPages(store!, { limit: 1000, keyword: '"not bad"' });
  const expectedPhrase = sorted.filter((item) => words(item.text).join(' ').includes('not bad'));
  assert.ok(phrase.length > 0, 'phrase found');
  for (const item of phrase) assert.ok(words(item.text).join(' ').includes('not bad'), `phrase in ${item.uri}`);
  assert.ok(phrase.length <= expectedPhrase.length, 'no phrase match beyond the texts containing the words in order');
});

queries('keyword syntax never reaches FTS5 raw', async ({ skip, store }) => {
  if (skip) return;
  for (const keyword of ['foo:bar', '(movie', 'movie)', 'NEAR(movie film)', '"unbalanced movie', 'AND', 'movie AND', '^movie', 'col:movie*', 'movie"s']) {
    const result = await store!.listPosts({ limit: 5, keyword }).then(
      (page) => page.posts.length,
      (error: Error & { code?: string }) => error.code,
    );
    assert.ok(typeof result === 'number' || result === 'INVALID_KEYWORD', `${JSON.stringify(keyword)} gives results or INVALID_KEYWORD, got ${result}`);
  }
  for (const keyword of ['', '   ', '***', '-movie', '"" OR']) {
    const error = await store!.listPosts({ limit: 5, keyword }).then(() => null, (reason: Error & { code?: string }) => reason);
    assert.is(error?.code, 'INVALID_KEYWORD', `${JSON.stringify(keyword)} is rejected as INVALID_KEYWORD`);
  }
});

queries('top posts in a window', async ({ skip, store, alive, lastMs }) => {
  if (skip) return;
  const sorted = [...alive].sort(newestFirst);
  const since = Math.floor(sorted.at(-1)!.timeUs / 1000);
  const top = await store!.topPosts({ since, limit: 10 });
  const rank = (label: SentimentLabel, direction: number) =>
    sorted
      .filter((item) => item.label === label)
      .sort((a, b) => direction * (a.compound - b.compound) || newestFirst(a, b))
      .slice(0, 10);
  assert.equal(uris(top.positive), uris(rank('positive', -1)), 'most positive, ties newest first');
  assert.equal(uris(top.negative), uris(rank('negative', 1)), 'most negative, ties newest first');

  const english = await store!.topPosts({ since, until: lastMs + 1, limit: 5, language: 'en' });
  for (const item of [...english.positive, ...english.negative]) assert.is(languageBucket(item.langs), 'en', `${item.uri} is English`);
  const empty = await store!.topPosts({ since: lastMs + 10_000, limit: 5 });
  assert.equal(empty, { positive: [], negative: [] }, 'a window after the last post is empty');
});

queries('timeseries at every resolution', async ({ skip, store, alive }) => {
  if (skip) return;
  const firstMs = Math.min(...alive.map((item) => item.timeUs)) / 1000;
  const lastMs = Math.max(...alive.map((item) => item.timeUs)) / 1000;
  for (const [resolution, bucketMs] of [['minute', 60_000], ['hour', 3_600_000], ['day', 86_400_000]] as const) {
    const since = firstMs - 1;
    const until = lastMs + 1;
    const points = await store!.timeseries({ resolution, since, until });
    const start = Math.floor(since / bucketMs) * bucketMs;
    assert.is(points.length, Math.ceil((until - start) / bucketMs), `${resolution}: one point per bucket, empty ones included`);
    const buckets = new Map<number, Expected[]>();
    for (const item of alive) {
      const key = Math.floor(item.timeUs / 1000 / bucketMs) * bucketMs;
      const members = buckets.get(key);
      if (members) members.push(item);
      else buckets.set(key, [item]);
    }
    for (const [index, point] of points.entries()) {
      const bucketStart = start + index * bucketMs;
      const members = buckets.get(bucketStart) ?? [];
      const scored = members.filter((item) => item.label !== 'unscored');
      assert.is(point.time, new Date(bucketStart).toISOString(), `${resolution} ${index}: bucket start`);
      assert.is(point.posts, members.length, `${resolution} ${index}: posts`);
      for (const label of ['positive', 'neutral', 'negative', 'unscored'] as const) {
        assert.is(point.labels[label], members.filter((item) => item.label === label).length, `${resolution} ${index}: ${label}`);
      }
      const mean = scored.length ? scored.reduce((sum, item) => sum + item.compound, 0) / scored.length : null;
      if (mean === null) assert.is(point.meanCompound, null, `${resolution} ${index}: no mean without scored posts`);
      else assert.ok(Math.abs(point.meanCompound! - mean) < 1e-6, `${resolution} ${index}: mean ${point.meanCompound} vs ${mean}`);
      const languages: Record<string, number> = {};
      for (const item of members) languages[languageBucket(item.langs)] = (languages[languageBucket(item.langs)] ?? 0) + 1;
      assert.equal(point.languages, languages, `${resolution} ${index}: languages`);
    }
  }
});

queries('export streams every post oldest first', async ({ skip, store, alive }) => {
  if (skip) return;
  const exported: string[] = [];
  for await (const item of store!.exportPosts({ pageSize: 5000 })) exported.push(item.uri);
  assert.equal(exported, uris([...alive].sort(newestFirst).reverse()), 'every post once, oldest first');

  let unscored = 0;
  for await (const item of store!.exportPosts({ label: 'unscored', pageSize: 300 })) {
    assert.is(item.sentiment.label, 'unscored', 'only the requested label');
    unscored += 1;
  }
  assert.is(unscored, alive.filter((item) => item.label === 'unscored').length, 'label filter count');
});

queries('bad input gets clear errors', async ({ skip, store }) => {
  if (skip) return;
  const code = (promise: Promise<unknown>) => promise.then(() => null, (error: Error & { code?: string }) => error.code);
  assert.is(await code(store!.listPosts({ limit: 10, cursor: 'not-a-cursor' })), 'INVALID_CURSOR', 'malformed cursor');
  assert.is(await code(store!.listPosts({ limit: 0 })), 'INVALID_QUERY', 'limit 0');
  assert.is(await code(store!.listPosts({ limit: 10, label: 'happy' as SentimentLabel })), 'INVALID_QUERY', 'unknown label');
  assert.is(await code(store!.listPosts({ limit: 10, language: 'english!' })), 'INVALID_QUERY', 'malformed language');
  assert.is(await code(store!.timeseries({ resolution: 'minute', since: 0, until: 86_400_000 * 30 })), 'RANGE_TOO_LARGE', 'too many buckets');
  assert.is(await code(store!.timeseries({ resolution: 'hour', since: 10, until: 5 })), 'INVALID_QUERY', 'until before since');
});

queries.run();
