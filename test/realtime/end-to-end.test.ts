/**
 * The real entry point, fed by the replay server: Jetstream frames → consumer → store → hub →
 * Socket.IO, on one process and on three processes sharing a redis-server.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { StatsSnapshot } from '../../src/hub/events.ts';
import { startReplayServer, type ReplayServer } from '../../src/firehose/replay-server.ts';
import { startServiceProcess, temporaryFolder, type ServiceProcess } from '../support/service-process.ts';
import { sharedDataPath, skipWithoutSharedData } from '../support/shared-data.ts';
import { collectPosts, connect, effectsFromCapture, freePort, sleep, waitUntil, type TestClient } from './helpers.ts';
import { skipWithoutRedis, startRedisServer, type RedisServer } from './redis-server.ts';

interface Context {
  folder?: ReturnType<typeof temporaryFolder>;
  replay?: ReplayServer;
  redis?: RedisServer;
  services: ServiceProcess[];
  clients: TestClient[];
}

const endToEnd = suite<Context>('realtime end to end', { services: [], clients: [] });

endToEnd.after.each(async (context) => {
  for (const client of context.clients) client.close();
  await Promise.all(context.services.map((service) => service.stop('SIGTERM').catch(() => undefined)));
  await context.replay?.close();
  await context.redis?.stop();
  context.folder?.remove();
  Object.assign(context, { clients: [], services: [], replay: undefined, redis: undefined, folder: undefined });
});

const SAMPLE = 'jetstream-sample.ndjson';

/** Create URIs of the capture, once each, in capture order. */
function expectedPosts(path: string): string[] {
  const uris: string[] = [];
  for (const effect of effectsFromCapture(path)) {
    if (effect.kind === 'upsert' && effect.operation === 'create' && !uris.includes(effect.post.uri)) uris.push(effect.post.uri);
  }
  return uris;
}

/** Environment of one service process; the upstream port has no listener until the replay starts. */
function serviceEnv(context: Context, upstreamPort: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    JETSTREAM_URL: `ws://127.0.0.1:${upstreamPort}/subscribe`,
    DATABASE_URL: `file:${context.folder!.path}/db.sqlite`,
    RECONNECT_MIN_MS: '50',
    RECONNECT_MAX_MS: '200',
    CLIENT_MAX_POSTS_PER_SECOND: '10000',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

async function fetchStats(service: ServiceProcess): Promise<StatsSnapshot> {
  return (await (await fetch(`${service.baseUrl}/api/stats`)).json()) as StatsSnapshot;
}

endToEnd('a replayed capture reaches a dashboard once, in order', async (context) => {
  if (skipWithoutSharedData(SAMPLE)) return;
  const capture = sharedDataPath(SAMPLE)!;
  const expected = expectedPosts(capture);
  context.folder = temporaryFolder();
  const upstreamPort = await freePort();
  const service = await startServiceProcess({ env: serviceEnv(context, upstreamPort) });
  context.services.push(service);

  const client = await connect(service.baseUrl);
  context.clients.push(client);
  const received = collectPosts(client);
  const snapshots: StatsSnapshot[] = [];
  client.on('stats', (snapshot) => snapshots.push(snapshot));
  // The consumer is already retrying; the capture starts flowing once the client listens.
  context.replay = await startReplayServer({ file: capture, port: upstreamPort });

  await waitUntil(() => received.uris.length >= expected.length, 15_000, `${expected.length} posts (got ${received.uris.length})`);
  await sleep(300);
  assert.equal(received.uris, expected, 'every post of the capture once, in order');
  await waitUntil(() => snapshots.some((snapshot) => snapshot.windows.sinceStart.posts === expected.length), 5000, 'stats counting the posts');
  const stats = await fetchStats(service);
  assert.is(stats.windows.sinceStart.posts, expected.length, '/api/stats counts the same posts');
  assert.is(stats.clients, 1, '/api/stats counts the dashboard');
});

endToEnd('two web processes and one ingesting process share redis', async (context) => {
  if (skipWithoutSharedData(SAMPLE) || skipWithoutRedis()) return;
  const capture = sharedDataPath(SAMPLE)!;
  const expected = expectedPosts(capture);
  context.folder = temporaryFolder();
  context.redis = await startRedisServer();
  const upstreamPort = await freePort();
  const shared = { REDIS_URL: context.redis.url };
  // The ingesting process starts first, so it creates the database the web processes read.
  const ingester = await startServiceProcess({ env: serviceEnv(context, upstreamPort, { ...shared, INGEST: 'true' }) });
  context.services.push(ingester);
  const webProcesses = await Promise.all([
    startServiceProcess({ env: serviceEnv(context, upstreamPort, { ...shared, INGEST: 'false' }) }),
    startServiceProcess({ env: serviceEnv(context, upstreamPort, { ...shared, INGEST: 'false' }) }),
  ]);
  context.services.push(...webProcesses);

  const clients = await Promise.all(webProcesses.map((web) => connect(web.baseUrl)));
  context.clients.push(...clients);
  const feeds = clients.map((client) => collectPosts(client));
  const snapshots: StatsSnapshot[][] = clients.map(() => []);
  clients.forEach((client, index) => client.on('stats', (snapshot) => snapshots[index]!.push(snapshot)));
  await waitUntil(() => snapshots.every((list) => list.some((snapshot) => snapshot.clients === 2)), 6000, 'stats counting both dashboards');

  context.replay = await startReplayServer({ file: capture, port: upstreamPort });
  await waitUntil(() => feeds.every((feed) => feed.uris.length >= expected.length), 15_000, 'every post on both web processes');
  await sleep(300);
  feeds.forEach((feed, index) => assert.equal(feed.uris, expected, `web process ${index + 1}: every post once, in order`));

  // Every process serves the ingesting process's snapshot: poll until one moment matches.
  let bodies: StatsSnapshot[] = [];
  const deadline = Date.now() + 8000;
  do {
    bodies = await Promise.all(context.services.map((service) => fetchStats(service)));
    if (bodies[0]!.windows.sinceStart.posts === expected.length && bodies.every((body) => JSON.stringify(body) === JSON.stringify(bodies[0]))) break;
    await sleep(100);
  } while (Date.now() < deadline);
  assert.is(bodies[0]!.windows.sinceStart.posts, expected.length, 'the ingesting process counted every post');
  assert.equal(bodies[1], bodies[0], 'web process 1 serves the same /api/stats');
  assert.equal(bodies[2], bodies[0], 'web process 2 serves the same /api/stats');
  assert.is(bodies[0]!.clients, 2, 'clients counted over all processes');

  const last = snapshots[0]!.at(-1)!;
  await waitUntil(() => snapshots[1]!.some((snapshot) => snapshot.generatedAt === last.generatedAt), 3000, 'the same stats event on both');
  assert.equal(snapshots[1]!.find((snapshot) => snapshot.generatedAt === last.generatedAt), last, 'the stats events match');
});

endToEnd.run();
