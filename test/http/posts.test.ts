import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BASE_MS, FIXTURE_POSTS, json, openHarness, type Harness } from './harness.ts';
import { PostPageSchema, StatsSnapshotSchema, TopPostsSchema } from '../../src/http/schemas.ts';
import { ApiErrorSchema } from '../../src/http/errors.ts';

const uriOf = (rkey: string) => `at://did:plc:fixture/app.bsky.feed.post/${rkey}`;

async function errorOf(response: Response) {
  const body = ApiErrorSchema.parse(await response.json());
  return body.error;
}

// ---

const stats = suite<{ harness: Harness }>('GET /api/stats');

stats.before(async (context) => {
  context.harness = await openHarness();
});
stats.after(async (context) => context.harness.close());

stats('returns the documented snapshot', async ({ harness }) => {
  const response = await harness.app.request('/api/stats');
  assert.is(response.status, 200, 'status');
  assert.is(response.headers.get('cache-control'), 'no-store', 'API responses are not cached');
  const body = StatsSnapshotSchema.parse(await response.json());
  assert.is(body.version, 1, 'version');
  assert.is(body.totals.posts, FIXTURE_POSTS.length, 'totals count every stored post');
  assert.is(body.totals.unscored, 2, 'unscored total');
});

stats('does not query the database', async () => {
  // The snapshot is built from memory, so it is served with the database closed.
  const closing = await openHarness({ posts: [] });
  await closing.store.close();
  const response = await closing.app.request('/api/stats');
  assert.is(response.status, 200, 'status with the database closed');
  await closing.close();
});

stats('rejects unknown parameters', async ({ harness }) => {
  const response = await harness.app.request('/api/stats?verbose=1');
  assert.is(response.status, 400, 'status');
  assert.is(response.headers.get('cache-control'), 'no-store', 'error answers are not cached either');
  const error = await errorOf(response);
  assert.is(error.parameter, 'verbose', 'names the parameter');
  assert.is(error.value, '1', 'quotes the value');
});

stats.run();

// ---

const posts = suite<{ harness: Harness }>('GET /api/posts');

posts.before(async (context) => {
  context.harness = await openHarness();
});
posts.after(async (context) => context.harness.close());

posts('lists newest first with the shared post shape', async ({ harness }) => {
  const response = await harness.app.request('/api/posts');
  assert.is(response.status, 200, 'status');
  const page = PostPageSchema.parse(await response.json());
  assert.is(page.posts.length, FIXTURE_POSTS.length, 'every post on one default page');
  assert.is(page.posts[0]!.uri, uriOf('p12'), 'newest first');
  assert.is(page.posts.at(-1)!.uri, uriOf('p01'), 'oldest last');
  assert.is(page.next, null, 'no further page');
  const first = page.posts.find((post) => post.uri === uriOf('p05'))!;
  assert.is(first.text, 'She said "fine, thanks", and left', 'text unchanged');
  assert.equal(first.langs, ['en'], 'langs');
  assert.is(first.sentiment.label, 'positive', 'label');
});

posts('pages with cursor until next is null', async ({ harness }) => {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let round = 0; round < 10; round += 1) {
    const path: string = `/api/posts?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = PostPageSchema.parse(await (await harness.app.request(path)).json());
    assert.ok(page.posts.length <= 5, `page ${round} respects limit`);
    seen.push(...page.posts.map((post) => post.uri));
    cursor = page.next;
    if (cursor === null) break;
  }
  assert.is(cursor, null, 'listing ends');
  assert.is(seen.length, FIXTURE_POSTS.length, 'every post exactly once');
  assert.is(new Set(seen).size, seen.length, 'no duplicates across pages');
});

posts('filters by label, language, keyword and time', async ({ harness }) => {
  const byLabel = await json(await harness.app.request('/api/posts?label=negative'));
  assert.equal(byLabel.posts.map((post: { uri: string }) => post.uri), [uriOf('p09'), uriOf('p07'), uriOf('p02')], 'label=negative');

  const byLanguage = await json(await harness.app.request('/api/posts?language=JA'));
  assert.equal(byLanguage.posts.map((post: { uri: string }) => post.uri), [uriOf('p11')], 'language is case-insensitive');
  const english = await json(await harness.app.request('/api/posts?language=en'));
  assert.ok(english.posts.some((post: { uri: string }) => post.uri === uriOf('p08')), 'en matches a post tagged en-GB');
  const undetermined = await json(await harness.app.request('/api/posts?language=und'));
  assert.equal(undetermined.posts.map((post: { uri: string }) => post.uri), [uriOf('p12')], 'und matches posts without langs');

  const byKeyword = await json(await harness.app.request('/api/posts?keyword=weather'));
  const keywordUris = byKeyword.posts.map((post: { uri: string }) => post.uri).sort();
  assert.equal(keywordUris, [uriOf('p08'), uriOf('p10'), uriOf('p12')], 'keyword=weather');

  const since = new Date(BASE_MS + 3_600_000).toISOString();
  const byTime = await json(await harness.app.request(`/api/posts?since=${since}&until=${BASE_MS + 3_720_000}`));
  assert.equal(byTime.posts.map((post: { uri: string }) => post.uri), [uriOf('p10'), uriOf('p09')], 'since inclusive, until exclusive, ISO and epoch ms');
});

const badRequests: Array<[string, string, string | RegExp]> = [
  ['/api/posts?limit=0', 'limit', 'an integer from 1 to 500'],
  ['/api/posts?limit=501', 'limit', 'an integer from 1 to 500'],
  ['/api/posts?limit=ten', 'limit', 'an integer from 1 to 500'],
  ['/api/posts?label=happy', 'label', 'one of positive, neutral, negative, unscored'],
  ['/api/posts?language=english', 'language', /primary language subtag/],
  ['/api/posts?since=yesterday', 'since', /ISO 8601/],
  ['/api/posts?since=2025-02-30', 'since', /ISO 8601/],
  ['/api/posts?since=2025-01-31T12:00:00', 'since', /time zone/],
  ['/api/posts?until=1738324800', 'until', /milliseconds since the epoch/],
  ['/api/posts?since=2025-02-01&until=2025-01-01', 'until', /later than since/],
  ['/api/posts?keyword=', 'keyword', /1 to 200 characters/],
  [`/api/posts?keyword=${'x'.repeat(201)}`, 'keyword', /1 to 200 characters/],
  ['/api/posts?cursor=not-a-cursor', 'cursor', /next/],
  ['/api/posts?limit=5&limit=6', 'limit', 'a single value'],
  ['/api/posts?lable=positive', 'lable', /one of the parameters label, language/],
];

for (const [path, parameter, expected] of badRequests) {
  posts(`400 for ${path.slice('/api/posts'.length, 60)}`, async ({ harness }) => {
    const response = await harness.app.request(path);
    assert.is(response.status, 400, 'status');
    const error = await errorOf(response);
    assert.is(error.parameter, parameter, 'names the parameter');
    if (typeof expected === 'string') assert.is(error.expected, expected, 'gives the accepted form');
    else assert.match(error.expected, expected, 'gives the accepted form');
    assert.match(error.message, parameter, 'message names the parameter');
  });
}

posts('400 quotes the received value', async ({ harness }) => {
  const error = await errorOf(await harness.app.request('/api/posts?limit=5000'));
  assert.is(error.value, '5000', 'value as sent');
  assert.is(error.message, 'Invalid limit="5000": expected an integer from 1 to 500.', 'message');
});

posts('400 lists every invalid parameter', async ({ harness }) => {
  const body = await json(await harness.app.request('/api/posts?limit=0&label=x'));
  const parameters = body.errors.map((item: { parameter: string }) => item.parameter).sort();
  assert.equal(parameters, ['label', 'limit'], 'both parameters reported');
});

posts.run();

// ---

const top = suite<{ harness: Harness }>('GET /api/posts/top');

top.before(async (context) => {
  context.harness = await openHarness();
});
top.after(async (context) => context.harness.close());

top('returns both sides of the default window', async ({ harness }) => {
  const response = await harness.app.request('/api/posts/top');
  assert.is(response.status, 200, 'status');
  const body = TopPostsSchema.parse(await response.json());
  assert.is(body.window.until, new Date(harness.now).toISOString(), 'window ends now');
  assert.is(body.window.since, new Date(harness.now - 3_600_000).toISOString(), 'default window is one hour');
  assert.equal(body.positive.map((post) => post.uri), [uriOf('p10'), uriOf('p12')], 'most positive first, only inside the window');
  assert.equal(body.negative.map((post) => post.uri), [uriOf('p09')], 'most negative first');
});

top('takes window, until, limit and language', async ({ harness }) => {
  const path = `/api/posts/top?window=3h&until=${new Date(harness.now).toISOString()}&limit=1&language=en`;
  const body = TopPostsSchema.parse(await (await harness.app.request(path)).json());
  assert.equal(body.positive.map((post) => post.uri), [uriOf('p10')], 'limit 1 keeps the top post');
  assert.equal(body.negative.map((post) => post.uri), [uriOf('p09')], 'negative side');
});

for (const [query, parameter] of [
  ['window=1w', 'window'],
  ['window=10s', 'window'],
  ['window=31d', 'window'],
  ['limit=101', 'limit'],
  ['since=2025-01-01', 'since'],
] as const) {
  top(`400 for ${query}`, async ({ harness }) => {
    const response = await harness.app.request(`/api/posts/top?${query}`);
    assert.is(response.status, 400, 'status');
    assert.is((await errorOf(response)).parameter, parameter, 'names the parameter');
  });
}

top('window error gives only examples it accepts', async ({ harness }) => {
  const error = await errorOf(await harness.app.request('/api/posts/top?window=10s'));
  assert.match(error.expected, /from 1m to 30d/, 'states the bounds');
  const examples = error.expected.match(/\b\d+[smhd]\b/g) ?? [];
  assert.ok(examples.length >= 3, `lists examples: ${error.expected}`);
  for (const example of examples) {
    const response = await harness.app.request(`/api/posts/top?window=${example}`);
    assert.is(response.status, 200, `example ${example} from the message is accepted`);
    await response.body?.cancel();
  }
});

top.run();
