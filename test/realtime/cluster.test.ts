import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { PostRecord, StatsSnapshot } from '../../src/hub/events.ts';
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
import { skipWithoutRedis, startRedisServer, type RedisServer } from './redis-server.ts';

interface Context {
  redis?: RedisServer;
  servers: RealtimeServer[];
  clients: TestClient[];
}

const cluster = suite<Context>('realtime over redis', { servers: [], clients: [] });

cluster.after.each(async (context) => {
  for (const client of context.clients) client.close();
  for (const server of context.servers) await server.close();
  context.clients = [];
  context.servers = [];
  await context.redis?.stop();
  context.redis = undefined;
});

/** One ingesting process and two web processes on one redis-server, each with a client. */
async function startCluster(context: Context) {
  context.redis = await startRedisServer();
  const common = { REDIS_URL: context.redis.url, CLIENT_MAX_POSTS_PER_SECOND: 10_000, BROADCAST_TICK_MS: 20 };
  const ingester = await startRealtimeServer({ ...common, INGEST: true });
  const webA = await startRealtimeServer({ ...common, INGEST: false });
  const webB = await startRealtimeServer({ ...common, INGEST: false });
  context.servers.push(ingester, webA, webB);
  const clients = await Promise.all([connect(ingester.url), connect(webA.url), connect(webB.url)]);
  context.clients.push(...clients);
  return { ingester, webA, webB, clients };
}

/** Publishes probe posts until `received` reports one; rooms reach the ingester within a heartbeat. */
async function probeUntil(server: RealtimeServer, probe: () => PostRecord, received: () => boolean): Promise<void> {
  const deadline = Date.now() + 6000;
  while (!received()) {
    if (Date.now() > deadline) throw new Error('no probe post arrived within 6000 ms');
    await server.hub.publish('committed', createBatch([probe()]));
    await sleep(150);
  }
}

cluster('clients on every process receive every post and the same stats', async (context) => {
  if (skipWithoutRedis()) return;
  const { ingester, webA, webB, clients } = await startCluster(context);
  const feeds = clients.map((client) => collectPosts(client));
  const snapshots: StatsSnapshot[][] = clients.map(() => []);
  clients.forEach((client, index) => client.on('stats', (snapshot) => snapshots[index]!.push(snapshot)));

  await probeUntil(ingester, () => makePost('probe'), () => feeds.every((feed) => feed.uris.length > 0));
  const offsets = feeds.map((feed) => feed.uris.length);
  const posts = Array.from({ length: 300 }, (_, index) => makePost(`cluster post ${index}`));
  for (let start = 0; start < posts.length; start += 30) {
    await ingester.hub.publish('committed', createBatch(posts.slice(start, start + 30)));
    await sleep(5);
  }
  const expected = posts.map((post) => post.uri);
  await waitUntil(() => feeds.every((feed, index) => feed.uris.length - offsets[index]! >= expected.length), 8000, 'every client to get 300 posts');
  await sleep(200);
  feeds.forEach((feed, index) => assert.equal(feed.uris.slice(offsets[index]!), expected, `client ${index} got every post once, in order`));

  // Statistics: the web processes serve the ingesting process's snapshot, clients counted over all.
  await waitUntil(() => snapshots.every((list) => list.some((snapshot) => snapshot.windows.sinceStart.posts >= 300 && snapshot.clients === 3)), 6000, 'stats with all posts and 3 clients');
  const last = snapshots[0]!.filter((snapshot) => snapshot.windows.sinceStart.posts >= 300).at(-1)!;
  await waitUntil(() => snapshots.every((list) => list.some((snapshot) => snapshot.generatedAt === last.generatedAt)), 4000, 'the same snapshot on every process');
  for (const [index, list] of snapshots.entries()) {
    assert.equal(list.find((snapshot) => snapshot.generatedAt === last.generatedAt), last, `client ${index} got the same snapshot`);
  }
  assert.is(webA.statistics.snapshot().generatedAt >= last.generatedAt, true, 'web process A serves the published snapshot');
  assert.is(webB.statistics.snapshot().windows.sinceStart.posts >= 300, true, 'web process B counts the posts');
  assert.is(webA.realtime.clientCount(), 1, 'each process counts its own clients');
});

cluster('tracking works on a web process', async (context) => {
  if (skipWithoutRedis()) return;
  const { ingester, clients } = await startCluster(context);
  const [onIngester, onWebA, onWebB] = clients as [TestClient, TestClient, TestClient];
  const tracked: TrackedBatchMessage[] = [];
  onWebA.on('tracked', (message) => tracked.push(message));
  const otherTracked: TrackedBatchMessage[] = [];
  onWebB.on('tracked', (message) => otherTracked.push(message));
  onIngester.on('tracked', (message) => otherTracked.push(message));
  assert.equal(await request(onWebA, 'track', { kind: 'hashtag', value: 'redis' }), { ok: true, term: 'hashtag:redis' }, 'track ack');

  await probeUntil(ingester, () => makePost('probe #redis'), () => tracked.length > 0);
  tracked.length = 0;
  const matching = makePost('all about #Redis streams');
  await ingester.hub.publish('committed', createBatch([makePost('not this one'), matching]));
  await waitUntil(() => tracked.length > 0, 3000, 'the tracked post on web process A');
  await sleep(200);
  assert.equal(tracked.flatMap((message) => message.posts.map((post) => post.uri)), [matching.uri], 'only the matching post');
  assert.is(otherTracked.length, 0, 'clients that track nothing get nothing');

  assert.equal(await request(onWebB, 'filter', { labels: ['negative'] }), { ok: true, filter: { labels: ['negative'], languages: [] } }, 'filter ack');
  const labels: string[] = [];
  onWebB.on('posts', (message) => labels.push(...message.posts.map((post) => post.sentiment.label)));
  await probeUntil(ingester, () => makePost('awful', { label: 'negative' }), () => labels.length > 0);
  await ingester.hub.publish('committed', createBatch([makePost('lovely', { label: 'positive' }), makePost('dreadful', { label: 'negative' })]));
  await waitUntil(() => labels.length >= 2, 3000, 'the second negative post');
  await sleep(200);
  assert.ok(labels.every((label) => label === 'negative'), `only negative posts in the filtered feed on web process B (${labels.join(',')})`);
});

cluster('a client that moves to another process recovers missed posts', async (context) => {
  if (skipWithoutRedis()) return;
  const { ingester, webA, webB } = await startCluster(context);
  const mover = await connect(webA.url, { reconnection: true, reconnectionDelay: 1000, reconnectionDelayMax: 1000, randomizationFactor: 0 });
  context.clients.push(mover);
  const received = collectPosts(mover);
  await probeUntil(ingester, () => makePost('probe'), () => received.uris.length > 0);

  const disconnected = new Promise<void>((resolve) => mover.once('disconnect', () => resolve()));
  // A load balancer may send the reconnect to any process: point the client at web process B.
  (mover.io as unknown as { uri: string }).uri = webB.url;
  mover.io.engine.close();
  await withTimeout(disconnected, 3000, 'the disconnect');
  const missed = Array.from({ length: 5 }, (_, index) => makePost(`missed ${index}`));
  await ingester.hub.publish('committed', createBatch(missed));
  await withTimeout(new Promise<void>((resolve) => mover.once('connect', () => resolve())), 5000, 'the reconnect to process B');
  await waitUntil(() => missed.every((post) => received.uris.includes(post.uri)), 5000, 'the missed posts');
  assert.ok(mover.recovered, 'the session was recovered on the other process');
  assert.is(webB.realtime.clientCount(), 2, 'the client is now on process B');
});

cluster.run();
