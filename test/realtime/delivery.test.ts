import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sharedDataPath, skipWithoutSharedData } from '../support/shared-data.ts';
import type { StatsSnapshot } from '../../src/hub/events.ts';
import {
  batchesOf,
  collectPosts,
  connect,
  createBatch,
  effectsFromCapture,
  makePost,
  sleep,
  startRealtimeServer,
  waitUntil,
  type RealtimeServer,
  type TestClient,
} from './helpers.ts';

const delivery = suite<{ server?: RealtimeServer; clients: TestClient[] }>('realtime delivery', { clients: [] });

delivery.after.each(async (context) => {
  for (const client of context.clients) client.close();
  context.clients = [];
  await context.server?.close();
  context.server = undefined;
});

delivery('every post of a capture arrives once, in order', async (context) => {
  if (skipWithoutSharedData('jetstream-sample.ndjson') || skipWithoutSharedData('jetstream-bench.ndjson')) return;
  context.server = await startRealtimeServer({ CLIENT_MAX_POSTS_PER_SECOND: 100_000, BROADCAST_TICK_MS: 20 });
  const client = await connect(context.server.url);
  context.clients.push(client);
  const received = collectPosts(client);
  const snapshots: StatsSnapshot[] = [];
  client.on('stats', (snapshot) => snapshots.push(snapshot));

  const effects = [
    ...effectsFromCapture(sharedDataPath('jetstream-sample.ndjson')!),
    ...effectsFromCapture(sharedDataPath('jetstream-bench.ndjson')!, 5000),
  ];
  // The same batch delivered twice, as after a cursor rewind, must not duplicate posts.
  const batches = batchesOf(effects, 200);
  batches.splice(3, 0, batches[2]!);
  const expected: string[] = [];
  for (const effect of effects) {
    if (effect.kind === 'upsert' && effect.operation === 'create' && !expected.includes(effect.post.uri)) expected.push(effect.post.uri);
  }
  assert.ok(expected.length > 4000, `the capture holds ${expected.length} creates`);

  for (const batch of batches) {
    await context.server.hub.publish('committed', batch);
    await sleep(2);
  }
  await waitUntil(() => received.uris.length >= expected.length, 10_000, `${expected.length} posts (got ${received.uris.length})`);
  await sleep(200);

  assert.is(received.uris.length, expected.length, 'no post arrives twice');
  assert.equal(received.uris, expected, 'posts arrive in order of arrival');
  await waitUntil(() => snapshots.length >= 2, 4000, 'two stats messages');
  assert.is(snapshots[0]!.version, 1, 'stats snapshot version');
  assert.ok(snapshots[snapshots.length - 1]!.windows.sinceStart.posts >= expected.length, 'stats count the posts');
});

delivery('stats arrive every second', async (context) => {
  context.server = await startRealtimeServer();
  const client = await connect(context.server.url);
  context.clients.push(client);
  const times: number[] = [];
  client.on('stats', () => times.push(Date.now()));
  // The first message arrives with the connection; the periodic ones follow.
  await waitUntil(() => times.length >= 1, 3000, 'the stats message sent on connect');
  times.length = 0;
  await waitUntil(() => times.length >= 3, 5000, 'three periodic stats messages');
  const gaps = times.slice(1).map((time, index) => time - times[index]!);
  for (const gap of gaps) assert.ok(gap > 500 && gap < 2000, `stats gap of ${gap} ms is about one second`);
});

delivery('post batch shape matches the HTTP post', async (context) => {
  context.server = await startRealtimeServer();
  const client = await connect(context.server.url);
  context.clients.push(client);
  const messages: Array<Record<string, unknown>> = [];
  client.on('posts', (message) => messages.push(message as unknown as Record<string, unknown>));
  const post = makePost('A plain sentence.', { label: 'neutral' });
  await context.server.hub.publish('committed', createBatch([post]));
  await waitUntil(() => messages.length > 0, 3000, 'a posts message');

  const message = messages[0]!;
  assert.is(message.total, 1, 'total counts the matched post');
  assert.is(message.sampled, false, 'one post is not sampled');
  assert.type(message.sentAt, 'number', 'sentAt');
  const sent = (message.posts as Array<Record<string, unknown>>)[0]!;
  assert.equal(Object.keys(sent).sort(), ['createdAt', 'did', 'indexedAt', 'langs', 'sentiment', 'text', 'uri'], 'public post fields only');
  assert.is(sent.uri, post.uri, 'uri');
});

delivery('edits and deletes reach every client', async (context) => {
  context.server = await startRealtimeServer();
  const client = await connect(context.server.url);
  context.clients.push(client);
  const updated: string[] = [];
  const deleted: string[] = [];
  client.on('updated', (message) => updated.push(...message.posts.map((post) => post.text)));
  client.on('deleted', (message) => deleted.push(...message.uris));

  const post = makePost('first text');
  await context.server.hub.publish('committed', createBatch([post]));
  await context.server.hub.publish('committed', {
    effects: [{ kind: 'upsert', operation: 'update', post: { ...post, text: 'edited text' } }],
    cursor: 2,
    eventCount: 1,
  });
  await context.server.hub.publish('committed', {
    effects: [{ kind: 'delete', uri: post.uri, did: post.did, timeUs: post.timeUs + 1 }],
    cursor: 3,
    eventCount: 1,
  });
  await waitUntil(() => updated.length > 0 && deleted.length > 0, 3000, 'updated and deleted messages');
  assert.equal(updated, ['edited text'], 'the edited text arrives');
  assert.equal(deleted, [post.uri], 'the deleted uri arrives');
});

delivery('announcements reach every client', async (context) => {
  context.server = await startRealtimeServer();
  const first = await connect(context.server.url);
  const second = await connect(context.server.url);
  context.clients.push(first, second);
  const seen: string[] = [];
  first.on('announcement', (announcement) => seen.push(`first:${announcement.message}`));
  second.on('announcement', (announcement) => seen.push(`second:${announcement.message}`));
  await context.server.hub.publish('announcement', { id: 'a1', message: 'maintenance at noon', level: 'info', createdAt: new Date().toISOString() });
  await waitUntil(() => seen.length === 2, 3000, 'both clients to get the announcement');
  assert.equal(seen.sort(), ['first:maintenance at noon', 'second:maintenance at noon'], 'each client got it once');
});

delivery.run();
