import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { collectPosts, connect, createBatch, makePost, sleep, startRealtimeServer, waitUntil, withTimeout, type RealtimeServer, type TestClient } from './helpers.ts';
import { connectStalledClient, type StalledClient } from './raw-websocket.ts';

const slow = suite<{ server?: RealtimeServer; clients: TestClient[]; stalled?: StalledClient }>('realtime slow clients', { clients: [] });

slow.after.each(async (context) => {
  context.stalled?.destroy();
  context.stalled = undefined;
  for (const client of context.clients) client.close();
  context.clients = [];
  await context.server?.close();
  context.server = undefined;
});

const LIMIT_BYTES = 256 * 1024;
const TEXT = 'lorem ipsum dolor sit amet '.repeat(40);

slow('stalled client is bounded and disconnected; others keep receiving', async (context) => {
  const server = (context.server = await startRealtimeServer({
    CLIENT_MAX_POSTS_PER_SECOND: 100_000,
    CLIENT_MAX_BUFFER_BYTES: LIMIT_BYTES,
    CLIENT_STALL_SECONDS: 2,
    BROADCAST_TICK_MS: 20,
  }));
  const healthy = await connect(server.url);
  context.clients.push(healthy);
  const received = collectPosts(healthy);
  const stalled = (context.stalled = await connectStalledClient(server.port));
  await waitUntil(() => server.realtime.clientCount() === 2, 3000, 'both clients connected');
  stalled.stopReading();

  let published = 0;
  let publishedBytes = 0;
  let peakBuffered = 0;
  const dropped = () => server.realtime.counters().slowDisconnects > 0;

  // About 2.5 MB/s of posts until the server drops the stalled client, for 12 s at most.
  const deadline = Date.now() + 12_000;
  while (!dropped() && Date.now() < deadline) {
    const posts = Array.from({ length: 50 }, () => makePost(TEXT));
    await server.hub.publish('committed', createBatch(posts));
    published += posts.length;
    publishedBytes += posts.length * TEXT.length;
    peakBuffered = Math.max(peakBuffered, server.realtime.counters().maxBufferedBytes);
    await sleep(20);
  }
  // A few more posts after the disconnect, which the healthy client must still get.
  for (let round = 0; round < 5; round += 1) {
    await server.hub.publish('committed', createBatch(Array.from({ length: 20 }, () => makePost('after'))));
    published += 20;
    await sleep(20);
  }

  assert.ok(dropped(), 'the server dropped the stalled client');
  // A paused socket sees the close only once it reads again.
  stalled.socket.resume();
  await withTimeout(stalled.closed, 5000, 'the stalled connection to close');
  const counters = server.realtime.counters();
  assert.is(counters.slowDisconnects, 1, 'one slow client disconnected');
  assert.ok(counters.dropped['slow-client'] > 0, 'messages skipped for the slow client are counted');
  // Bounded: the limit plus what one check interval (500 ms) can add, far below the traffic.
  const bound = LIMIT_BYTES + 2_500_000 * 0.5 + 256 * 1024;
  assert.ok(peakBuffered < bound, `peak buffer ${peakBuffered} B stays under ${bound} B`);
  assert.ok(publishedBytes > bound * 2, `the test sent ${publishedBytes} B, well over the bound`);

  await waitUntil(() => received.uris.length === published, 10_000, `healthy client gets all ${published} posts (got ${received.uris.length})`);
  assert.ok(healthy.connected, 'the healthy client stays connected');
  await waitUntil(() => server.realtime.clientCount() === 1, 3000, 'the stalled client is gone');
});

slow('slow client is skipped, then told what it missed', async (context) => {
  const server = (context.server = await startRealtimeServer({
    CLIENT_MAX_POSTS_PER_SECOND: 100_000,
    CLIENT_MAX_BUFFER_BYTES: LIMIT_BYTES,
    // Long enough to drain first; short, so the monitor checks every 750 ms.
    CLIENT_STALL_SECONDS: 3,
    BROADCAST_TICK_MS: 20,
  }));
  const stalled = (context.stalled = await connectStalledClient(server.port));
  await waitUntil(() => server.realtime.clientCount() === 1, 3000, 'the client connected');
  stalled.stopReading();
  const deadline = Date.now() + 10_000;
  while (server.realtime.counters().slowClients === 0 && Date.now() < deadline) {
    await server.hub.publish('committed', createBatch(Array.from({ length: 50 }, () => makePost(TEXT))));
    await sleep(20);
  }
  assert.is(server.realtime.counters().slowClients, 1, 'the client is marked slow');

  // Reading again drains the buffer; the client leaves the slow state and gets a lagged notice.
  let tail = '';
  stalled.socket.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString('latin1')).slice(-4096)));
  stalled.socket.resume();
  await waitUntil(() => server.realtime.counters().slowClients === 0, 5000, 'the client leaves the slow state');
  await waitUntil(() => tail.includes('"lagged"'), 3000, 'the lagged notice');
  assert.match(tail, /"lagged",\{"from":\d+,"to":\d+\}/, 'lagged names the time span');
  assert.is(server.realtime.counters().slowDisconnects, 0, 'nobody was disconnected');
});

slow('connecting and leaving clients leave no state behind', async (context) => {
  const server = (context.server = await startRealtimeServer());
  const io = server.realtime.io;
  const roomsBefore = io.of('/').adapter.rooms.size;
  for (let round = 0; round < 5; round += 1) {
    const clients = await Promise.all(Array.from({ length: 60 }, () => connect(server.url)));
    await Promise.all(clients.map((client, index) => withTimeout(
      (async () => {
        await client.timeout(5000).emitWithAck('track', { kind: 'keyword', value: `word${index % 7}` });
      })(),
      6000,
      'a track request',
    )));
    for (const client of clients) client.disconnect();
  }
  await waitUntil(() => io.engine.clientsCount === 0, 5000, 'every client gone');
  assert.is(io.of('/').sockets.size, 0, 'no socket left');
  assert.is(io.of('/').adapter.rooms.size, roomsBefore, 'no room left');
  assert.is(io.engine.clientsCount, 0, 'no engine connection left');
  assert.is(server.realtime.counters().slowClients, 0, 'no slow-client state left');
});

slow.run();
