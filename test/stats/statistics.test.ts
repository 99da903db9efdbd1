import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { Hub } from '../../src/hub/hub.ts';
import type { FirehoseStatus, HubEvents, IngestBatch, PostRecord, SentimentLabel, StatsSnapshot } from '../../src/hub/events.ts';
import { createStatistics, REMOTE_SNAPSHOT_MAX_AGE_MS, type Statistics } from '../../src/stats/index.ts';
import { MAX_REPORTED_LANGUAGES, OTHER_LANGUAGES } from '../../src/stats/tally.ts';

const START = Date.parse('2026-01-01T12:00:00.000Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;

interface Context {
  clock: number;
  hub: Hub<HubEvents>;
  statistics: Statistics;
  totals: { posts: number; positive: number; neutral: number; negative: number; unscored: number };
}

function setUp(context: Context, env: Record<string, string> = {}): void {
  context.clock = START;
  context.hub = new Hub<HubEvents>();
  context.totals = { posts: 0, positive: 0, neutral: 0, negative: 0, unscored: 0 };
  const config: Config = loadConfig({ JETSTREAM_URL: 'ws://127.0.0.1:9/subscribe', ...env });
  context.statistics = createStatistics({
    config,
    hub: context.hub,
    store: { totals: () => ({ ...context.totals }) },
    now: () => context.clock,
    startedAt: START,
    runtime: 'node',
    serviceVersion: '1.2.3',
  });
}

let counter = 0;
function post(label: SentimentLabel, compound: number, langs: string[] = ['en'], text = 'some text'): PostRecord {
  counter += 1;
  const rkey = `3stat${counter}`;
  return {
    uri: `at://did:plc:stats/app.bsky.feed.post/${rkey}`,
    did: 'did:plc:stats',
    rkey,
    text,
    langs,
    createdAt: null,
    indexedAt: new Date(START).toISOString(),
    timeUs: START * 1000 + counter,
    isReply: false,
    isQuote: false,
    sentiment: { neg: 0, neu: 1, pos: 0, compound, label },
  };
}

function creates(posts: PostRecord[]): IngestBatch {
  return { effects: posts.map((item) => ({ kind: 'upsert', operation: 'create', post: item })), cursor: 1, eventCount: posts.length };
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

const windows = suite<Context>('statistics windows', {} as Context);
windows.before.each((context) => setUp(context));
windows.after.each((context) => context.statistics.close());

windows('counts labels, languages and mean per window', async (context) => {
  const posts = [post('positive', 0.6), post('positive', 0.4, ['en-US']), post('negative', -0.7, ['pt-BR']), post('neutral', 0.01, []), post('unscored', 0, ['ja'])];
  await context.hub.publish('committed', creates(posts));
  context.clock += 10 * SECOND;

  const snapshot = context.statistics.snapshot();
  for (const name of ['minute', 'hour', 'sinceStart'] as const) {
    const window = snapshot.windows[name];
    assert.is(window.posts, 5, `${name}: posts`);
    assert.equal(window.labels, { positive: 2, neutral: 1, negative: 1, unscored: 1 }, `${name}: labels`);
    assert.ok(Math.abs(window.meanCompound! - mean([0.6, 0.4, -0.7, 0.01])) < 1e-12, `${name}: mean of scored posts only`);
    assert.equal(snapshot.languages[name], { en: 2, pt: 1, und: 1, ja: 1 }, `${name}: primary language subtags`);
  }
  assert.is(snapshot.rates.postsPerSecond, 0.5, 'five posts over ten seconds of uptime');
  assert.is(snapshot.uptimeSeconds, 10, 'uptime from the injected clock');
  assert.is(snapshot.generatedAt, new Date(START + 10 * SECOND).toISOString(), 'generatedAt from the injected clock');
});

windows('posts leave the minute and hour windows as time passes', async (context) => {
  await context.hub.publish('committed', creates([post('positive', 0.5)]));
  context.clock += 30 * SECOND;
  await context.hub.publish('committed', creates([post('negative', -0.5)]));

  context.clock += 31 * SECOND;
  let snapshot = context.statistics.snapshot();
  assert.is(snapshot.windows.minute.posts, 1, 'the first post left the minute window after 61 s');
  assert.is(snapshot.windows.minute.labels.negative, 1, 'the second post is still in it');
  assert.is(snapshot.windows.hour.posts, 2, 'both are in the hour window');
  assert.is(snapshot.rates.postsPerSecond, Math.round((1 / 60) * 100) / 100, 'rate over the last 60 s');

  context.clock += 61 * MINUTE;
  snapshot = context.statistics.snapshot();
  assert.is(snapshot.windows.minute.posts, 0, 'minute window empty');
  assert.is(snapshot.windows.hour.posts, 0, 'hour window empty after 61 minutes');
  assert.is(snapshot.windows.hour.meanCompound, null, 'empty window mean is null');
  assert.is(snapshot.windows.sinceStart.posts, 2, 'since start keeps both');
  assert.is(snapshot.rates.postsPerSecond, 0, 'no recent posts, no rate');
});

windows('window of text-less posts has a null mean, never NaN', async (context) => {
  const empty = [post('unscored', 0, [], ''), post('unscored', 0, [], '   '), post('unscored', 0, [], '\u200b')];
  await context.hub.publish('committed', creates(empty));
  const snapshot = context.statistics.snapshot();
  assert.is(snapshot.windows.minute.posts, 3, 'text-less posts count as posts');
  assert.is(snapshot.windows.minute.labels.unscored, 3, 'as unscored');
  assert.is(snapshot.windows.minute.meanCompound, null, 'mean is null');
  assert.equal(snapshot.languages.minute, { und: 3 }, 'language undetermined');
  const json = JSON.stringify(snapshot);
  assert.not.match(json, /NaN|Infinity/, 'no NaN or Infinity in the serialised snapshot');
  assert.is((JSON.parse(json) as StatsSnapshot).windows.hour.meanCompound, null, 'null survives JSON');
});

windows('a non-finite compound does not poison the mean', async (context) => {
  await context.hub.publish('committed', creates([post('positive', Number.NaN), post('positive', 0.5)]));
  const snapshot = context.statistics.snapshot();
  assert.is(snapshot.windows.minute.posts, 2, 'both posts count');
  assert.is(snapshot.windows.minute.meanCompound, 0.5, 'the mean skips the broken score');
});

windows('a create delivered twice counts once', async (context) => {
  const first = post('positive', 0.5);
  await context.hub.publish('committed', creates([first, post('neutral', 0)]));
  await context.hub.publish('committed', creates([first]));
  assert.is(context.statistics.snapshot().windows.sinceStart.posts, 2, 'the replayed create is ignored');
});

windows('an update re-labels without counting a new post', async (context) => {
  const original = post('negative', -0.8);
  await context.hub.publish('committed', creates([original, post('positive', 0.2)]));
  context.clock += 5 * SECOND;
  const edited: PostRecord = { ...original, text: 'much better now', sentiment: { ...original.sentiment, compound: 0.6, label: 'positive' }, langs: ['de'] };
  await context.hub.publish('committed', { effects: [{ kind: 'upsert', operation: 'update', post: edited }], cursor: 2, eventCount: 1 });

  const snapshot = context.statistics.snapshot();
  for (const name of ['minute', 'hour', 'sinceStart'] as const) {
    assert.is(snapshot.windows[name].posts, 2, `${name}: still two posts`);
    assert.equal(snapshot.windows[name].labels, { positive: 2, neutral: 0, negative: 0, unscored: 0 }, `${name}: moved to positive`);
    assert.ok(Math.abs(snapshot.windows[name].meanCompound! - mean([0.6, 0.2])) < 1e-12, `${name}: mean uses the new compound`);
    assert.equal(snapshot.languages[name], { de: 1, en: 1 }, `${name}: language moved`);
  }

  const unknown = post('positive', 0.9);
  await context.hub.publish('committed', { effects: [{ kind: 'upsert', operation: 'update', post: unknown }], cursor: 3, eventCount: 1 });
  assert.is(context.statistics.snapshot().windows.sinceStart.posts, 2, 'an update of an unknown post changes nothing');
});

windows('an update in the same batch as its create moves the post once it is counted', async (context) => {
  const original = post('negative', -0.8, ['en']);
  const edited: PostRecord = { ...original, sentiment: { ...original.sentiment, compound: 0.4, label: 'positive' }, langs: ['fr'] };
  const batch: IngestBatch = {
    effects: [
      { kind: 'upsert', operation: 'create', post: original },
      { kind: 'upsert', operation: 'update', post: edited },
      { kind: 'upsert', operation: 'create', post: post('neutral', 0, ['en']) },
    ],
    cursor: 1,
    eventCount: 3,
  };
  await context.hub.publish('committed', batch);

  const snapshot = context.statistics.snapshot();
  for (const name of ['minute', 'hour', 'sinceStart'] as const) {
    assert.is(snapshot.windows[name].posts, 2, `${name}: two posts`);
    assert.equal(snapshot.windows[name].labels, { positive: 1, neutral: 1, negative: 0, unscored: 0 }, `${name}: the edit's label replaced the original's`);
    assert.equal(snapshot.languages[name], { en: 1, fr: 1 }, `${name}: the edit's language replaced the original's`);
  }
});

windows('an update after the post left the minute window', async (context) => {
  const original = post('negative', -0.8);
  await context.hub.publish('committed', creates([original]));
  context.clock += 2 * MINUTE;
  const edited: PostRecord = { ...original, sentiment: { ...original.sentiment, compound: 0.5, label: 'positive' } };
  await context.hub.publish('committed', { effects: [{ kind: 'upsert', operation: 'update', post: edited }], cursor: 2, eventCount: 1 });
  const snapshot = context.statistics.snapshot();
  assert.is(snapshot.windows.minute.posts, 0, 'the minute window stays empty');
  assert.equal(snapshot.windows.hour.labels, { positive: 1, neutral: 0, negative: 0, unscored: 0 }, 'hour window re-labelled');
  assert.equal(snapshot.windows.sinceStart.labels, { positive: 1, neutral: 0, negative: 0, unscored: 0 }, 'since start re-labelled');
});

windows('deletes do not lower the windows; totals follow the store', async (context) => {
  const doomed = post('positive', 0.5);
  await context.hub.publish('committed', creates([doomed]));
  context.totals = { posts: 0, positive: 0, neutral: 0, negative: 0, unscored: 0 };
  await context.hub.publish('committed', {
    effects: [
      { kind: 'delete', uri: doomed.uri, did: doomed.did, timeUs: doomed.timeUs + 1 },
      { kind: 'account-removed', did: doomed.did, status: 'deleted', timeUs: doomed.timeUs + 2 },
    ],
    cursor: 2,
    eventCount: 2,
  });
  const snapshot = context.statistics.snapshot();
  assert.is(snapshot.windows.minute.posts, 1, 'the window still counts the post');
  assert.is(snapshot.totals.posts, 0, 'totals come from the store');
});

windows('languages beyond the reported number are summed as other', async (context) => {
  const codes: string[] = [];
  for (let first = 0; codes.length < MAX_REPORTED_LANGUAGES + 5; first += 1) {
    for (let second = 0; second < 26 && codes.length < MAX_REPORTED_LANGUAGES + 5; second += 1) {
      codes.push(String.fromCharCode(97 + first) + String.fromCharCode(97 + second));
    }
  }
  // The first language gets two posts so it sorts first; every other gets one.
  await context.hub.publish('committed', creates([post('neutral', 0, [codes[0]!]), ...codes.map((code) => post('neutral', 0, [code]))]));
  const languages = context.statistics.snapshot().languages.minute;
  assert.is(Object.keys(languages).length, MAX_REPORTED_LANGUAGES + 1, 'the listed languages plus other');
  assert.is(languages[codes[0]!], 2, 'the largest language is listed');
  assert.is(languages[OTHER_LANGUAGES], 5, 'the tail is summed');
  const total = Object.values(languages).reduce((sum, count) => sum + count, 0);
  assert.is(total, codes.length + 1, 'no post is lost from the language counts');
});

windows.run();

// ---

const snapshot = suite<Context>('statistics snapshot', {} as Context);
snapshot.after.each((context) => context.statistics.close());

snapshot('reports service, firehose and clients', async (context) => {
  setUp(context);
  context.totals = { posts: 7, positive: 3, neutral: 2, negative: 1, unscored: 1 };
  const status: FirehoseStatus = {
    connected: true, endpoint: 'ws://127.0.0.1:1/subscribe', cursor: 42, lagSeconds: 0.5, lastEventAt: null, reconnects: 1,
    eventsReceived: 10, dropped: {}, ignored: { identity: 1 }, queueDepth: 0, paused: false, compressed: false,
  };
  await context.hub.publish('firehose', status);
  context.statistics.setClientCount(12);
  const value = context.statistics.snapshot();
  assert.is(value.version, 1, 'version');
  assert.is(value.serviceVersion, '1.2.3', 'service version');
  assert.is(value.startedAt, new Date(START).toISOString(), 'startedAt');
  assert.equal(value.totals, context.totals, 'totals from the store');
  assert.equal(value.firehose, status, 'latest firehose status');
  assert.is(value.clients, 12, 'client count');
  assert.is(value.ingest, true, 'ingest flag');
});

snapshot('computed at most once a second unless refreshed', async (context) => {
  setUp(context);
  const first = context.statistics.snapshot();
  await context.hub.publish('committed', creates([post('positive', 0.5)]));
  context.clock += 999;
  assert.is(context.statistics.snapshot(), first, 'the same object within a second');
  const refreshed = context.statistics.refresh();
  assert.is.not(refreshed, first, 'refresh computes a new snapshot');
  assert.is(refreshed.windows.minute.posts, 1, 'with the new post');
  assert.is(context.statistics.snapshot(), refreshed, 'which snapshot() then serves');
  context.clock += 1000;
  assert.is.not(context.statistics.snapshot(), refreshed, 'a second later it is computed again');
});

snapshot('a process without ingest serves the published snapshot while fresh', (context) => {
  setUp(context, { INGEST: 'false' });
  const local = context.statistics.snapshot();
  assert.is(local.ingest, false, 'its own snapshot before anything arrives');
  const published: StatsSnapshot = { ...local, ingest: true, serviceVersion: 'ingester', clients: 99 };
  context.statistics.acceptRemote(published);
  assert.is(context.statistics.snapshot(), published, 'serves the published snapshot');
  context.clock += REMOTE_SNAPSHOT_MAX_AGE_MS + 1;
  assert.is(context.statistics.snapshot().serviceVersion, '1.2.3', 'falls back to its own once stale');
});

snapshot('an ingesting process ignores published snapshots', (context) => {
  setUp(context);
  const published: StatsSnapshot = { ...context.statistics.snapshot(), serviceVersion: 'other' };
  context.statistics.acceptRemote(published);
  assert.is(context.statistics.snapshot().serviceVersion, '1.2.3', 'keeps its own numbers');
});

snapshot.run();
