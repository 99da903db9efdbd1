import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TrackedBatchMessage } from '../../src/realtime/protocol.ts';
import {
  collectPosts,
  connect,
  createBatch,
  makePost,
  request,
  sleep,
  startRealtimeServer,
  waitUntil,
  withTimeout,
  type RealtimeServer,
  type TestClient,
} from './helpers.ts';

const recovery = suite<{ server?: RealtimeServer; clients: TestClient[] }>('realtime recovery', { clients: [] });

recovery.after.each(async (context) => {
  for (const client of context.clients) client.close();
  context.clients = [];
  await context.server?.close();
  context.server = undefined;
});

recovery('client away for two seconds receives what it missed', async (context) => {
  const server = (context.server = await startRealtimeServer({ CLIENT_MAX_POSTS_PER_SECOND: 10_000, BROADCAST_TICK_MS: 20 }));
  const client = await connect(server.url, { reconnection: true, reconnectionDelay: 2000, reconnectionDelayMax: 2000, randomizationFactor: 0 });
  context.clients.push(client);
  const received = collectPosts(client);
  const tracked: TrackedBatchMessage[] = [];
  client.on('tracked', (message) => tracked.push(message));
  const sessions: boolean[] = [];
  client.on('session', (message) => sessions.push(message.recovered));
  await request(client, 'track', { kind: 'keyword', value: 'missed' });

  const before = [makePost('before the drop'), makePost('missed one before')];
  await server.hub.publish('committed', createBatch(before));
  await waitUntil(() => received.uris.length === 2, 3000, 'posts before the drop');

  const disconnected = new Promise<string>((resolve) => client.once('disconnect', resolve));
  // Closing the engine simulates a dropped network connection: the client reconnects by itself.
  client.io.engine.close();
  await withTimeout(disconnected, 3000, 'the disconnect');
  const during = [makePost('during the drop'), makePost('missed two during'), makePost('also during')];
  for (const post of during) {
    await server.hub.publish('committed', createBatch([post]));
    await sleep(100);
  }
  await withTimeout(new Promise<void>((resolve) => client.once('connect', () => resolve())), 6000, 'the reconnect');
  const after = [makePost('after the reconnect')];
  await sleep(100);
  await server.hub.publish('committed', createBatch(after));

  const expected = [...before, ...during, ...after].map((post) => post.uri);
  await waitUntil(() => received.uris.length >= expected.length, 5000, `all ${expected.length} posts (got ${received.uris.length})`);
  await sleep(200);
  assert.ok(client.recovered, 'the client reports a recovered connection');
  assert.equal(sessions, [true], 'the session message after the reconnect says recovered');
  assert.equal(received.uris, expected, 'every post exactly once, in order');
  const trackedUris = tracked.flatMap((message) => message.posts.map((post) => post.uri));
  assert.equal(trackedUris, [before[1]!.uri, during[1]!.uri], 'tracked posts missed during the drop arrive too');
});

recovery('recovered client keeps its filter and terms', async (context) => {
  const server = (context.server = await startRealtimeServer({ BROADCAST_TICK_MS: 20 }));
  const client = await connect(server.url, { reconnection: true, reconnectionDelay: 200, randomizationFactor: 0 });
  context.clients.push(client);
  await request(client, 'filter', { labels: ['negative'] });
  await request(client, 'track', { kind: 'hashtag', value: 'kept' });
  await server.hub.publish('committed', createBatch([makePost('sad', { label: 'negative' })]));
  const received = collectPosts(client);
  await waitUntil(() => received.uris.length === 1, 3000, 'a post that sets the recovery offset');

  const session = new Promise<{ recovered: boolean; terms: string[]; filter: unknown }>((resolve) => client.once('session', resolve));
  client.io.engine.close();
  const message = await withTimeout(session, 5000, 'the session after reconnecting');
  assert.is(message.recovered, true, 'recovered');
  assert.equal(message.terms, ['hashtag:kept'], 'terms restored');
  assert.equal(message.filter, { labels: ['negative'], languages: [] }, 'filter restored');

  const positive = makePost('happy', { label: 'positive' });
  const negative = makePost('gloomy', { label: 'negative' });
  await server.hub.publish('committed', createBatch([positive, negative]));
  await waitUntil(() => received.uris.length === 2, 3000, 'the filtered post after recovery');
  assert.is(received.uris[1], negative.uri, 'the restored filter still applies');
});

recovery.run();
