import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gunzipSync, gzipSync } from 'node:zlib';
import WebSocket from 'ws';
import { startReplayServer, type ReplayServer } from '../../src/firehose/replay-server.ts';
import { accountEvent, did, identityEvent, postEvent, postSeries, rkey, toCapture } from '../support/jetstream-fixtures.ts';
import { waitFor } from '../support/replay-faults.ts';

const START = 1_735_689_600_000_000;

interface Client {
  ws: WebSocket;
  messages: Array<{ data: Buffer; binary: boolean }>;
  /** Parsed text frames. */
  events(): Array<Record<string, unknown>>;
  close(): void;
}

function connect(url: string): Promise<Client> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const messages: Client['messages'] = [];
  ws.on('message', (data, binary) => messages.push({ data: data as Buffer, binary }));
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        messages,
        events: () => messages.filter((message) => !message.binary).map((message) => JSON.parse(message.data.toString('utf8')) as Record<string, unknown>),
        close: () => ws.terminate(),
      }),
    );
  });
}

const mixed = [
  postEvent(did(1), rkey(1), START + 1, { text: 'one', langs: ['en'] }),
  JSON.stringify({ did: did(2), time_us: START + 2, kind: 'commit', commit: { rev: 'r', operation: 'create', collection: 'app.bsky.feed.like', rkey: rkey(2), record: {} } }),
  identityEvent(did(3), START + 3),
  postEvent(did(4), rkey(4), START + 4, { text: 'x'.repeat(5000), langs: ['en'] }),
  accountEvent(did(5), START + 5, 'deleted'),
  postEvent(did(6), rkey(6), START + 6, { text: 'six', langs: ['en'] }),
];

const replay = suite<{ server?: ReplayServer; clients: Client[] }>('replay server', { clients: [] });

replay.after.each(async (context) => {
  for (const client of context.clients) client.close();
  context.clients = [];
  await context.server?.close();
  context.server = undefined;
});

replay('sends everything in order and keeps the socket open', async (context) => {
  context.server = await startReplayServer({ events: toCapture(mixed) });
  const client = await connect(context.server.url);
  context.clients.push(client);
  await waitFor(() => client.messages.length === mixed.length, 5000, () => `received ${client.messages.length} of ${mixed.length}`);
  assert.equal(client.events().map((event) => event.time_us), [1, 2, 3, 4, 5, 6].map((offset) => START + offset), 'all events in time order');
  assert.equal(client.messages.map((message) => message.data.toString('utf8')), mixed, 'lines are sent byte for byte');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.is(client.ws.readyState, WebSocket.OPEN, 'socket stays open after the last event');
  assert.is(context.server.connections, 1, 'server counts the open connection');
});

replay('cursor starts at the first event at or after it', async (context) => {
  context.server = await startReplayServer({ events: toCapture(mixed) });
  const client = await connect(`${context.server.url}?cursor=${START + 4}`);
  context.clients.push(client);
  await waitFor(() => client.messages.length === 3, 5000, 'three events from the cursor on');
  assert.equal(client.events().map((event) => event.time_us), [START + 4, START + 5, START + 6], 'events from the cursor');

  const future = await connect(`${context.server.url}?cursor=${START + 100}`);
  context.clients.push(future);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.is(future.messages.length, 0, 'a cursor after the last event is a live tail');
});

replay('wantedCollections filters commits but not identity and account events', async (context) => {
  context.server = await startReplayServer({ events: toCapture(mixed) });
  const exact = await connect(`${context.server.url}?wantedCollections=app.bsky.feed.post`);
  const prefix = await connect(`${context.server.url}?wantedCollections=app.bsky.feed.*`);
  context.clients.push(exact, prefix);
  await waitFor(() => exact.messages.length === 5 && prefix.messages.length === 6, 5000, () => `exact ${exact.messages.length}, prefix ${prefix.messages.length}`);
  assert.equal(exact.events().map((event) => event.kind), ['commit', 'identity', 'commit', 'account', 'commit'], 'posts, identity and account');
  assert.is(prefix.messages.length, 6, 'prefix pattern matches the like too');
});

replay('maxMessageSizeBytes leaves out larger events', async (context) => {
  context.server = await startReplayServer({ events: toCapture(mixed) });
  const client = await connect(`${context.server.url}?maxMessageSizeBytes=1000`);
  context.clients.push(client);
  await waitFor(() => client.messages.length === 5, 5000, 'five small events');
  assert.ok(!client.events().some((event) => event.time_us === START + 4), 'the 5 kB event is left out');
});

replay('a client that stops reading holds the server back', async (context) => {
  const lines = postSeries(20_000, START, 1000, 'y'.repeat(1000));
  context.server = await startReplayServer({
    events: toCapture(lines),
    hooks: { onConnection: (connection) => (serverSocket = connection.socket) },
  });
  let serverSocket: import('node:net').Socket | undefined;
  const client = await connect(context.server.url);
  context.clients.push(client);
  client.ws.pause();
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.ok(serverSocket, 'connection seen');
  assert.ok(serverSocket!.writableLength < 4 * 1024 * 1024, `server buffers ${serverSocket!.writableLength} bytes, not the 20 MB capture`);
  assert.ok(client.messages.length < lines.length, 'the paused client has not received everything');
  client.ws.resume();
  await waitFor(() => client.messages.length === lines.length, 20_000, () => `received ${client.messages.length} of ${lines.length}`);
});

replay('original pace spreads events over their time span', async (context) => {
  // 50 events 1 s apart: at speed 1 only the first arrives soon; at speed 1000 all do.
  const lines = postSeries(50, START, 1_000_000);
  context.server = await startReplayServer({ events: toCapture(lines), speed: 1 });
  const paced = await connect(context.server.url);
  context.clients.push(paced);
  await waitFor(() => paced.messages.length >= 1, 5000, 'first event');
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(paced.messages.length < lines.length, `only ${paced.messages.length} of 50 events sent so far`);
  await context.server.close();

  context.server = await startReplayServer({ events: toCapture(lines), speed: 1000 });
  const fast = await connect(context.server.url);
  context.clients.push(fast);
  await waitFor(() => fast.messages.length === lines.length, 10_000, () => `received ${fast.messages.length} of 50 at speed 1000`);
});

replay('loop shifts time forward on every pass', async (context) => {
  context.server = await startReplayServer({ events: toCapture(postSeries(3, START)), loop: true });
  const client = await connect(context.server.url);
  context.clients.push(client);
  await waitFor(() => client.messages.length >= 10, 5000, 'ten events from a three-event capture');
  const times = client.events().slice(0, 10).map((event) => Number(event.time_us));
  for (let index = 1; index < times.length; index += 1) assert.ok(times[index]! > times[index - 1]!, `time increases at ${index}: ${times}`);
  const resumed = await connect(`${context.server.url}?cursor=${times[7]}`);
  context.clients.push(resumed);
  await waitFor(() => resumed.messages.length >= 1, 5000, 'resumed in a later pass');
  assert.is(Number(resumed.events()[0]!.time_us), times[7], 'cursor lands in the right pass');
});

replay('compress=true needs a frame encoder', async (context) => {
  context.server = await startReplayServer({ events: toCapture(mixed) });
  const rejected = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const ws = new WebSocket(`${context.server!.url}?compress=true`, { perMessageDeflate: false });
    ws.once('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    ws.once('open', () => reject(new Error('compressed connection was accepted')));
  });
  assert.is(rejected.status, 400, 'compress without an encoder is rejected');
  assert.match(rejected.body, 'compress=true', 'message names the parameter');
  await context.server.close();

  context.server = await startReplayServer({ events: toCapture(mixed), compressFrame: (payload) => gzipSync(payload) });
  const client = await connect(`${context.server.url}?compress=true`);
  context.clients.push(client);
  await waitFor(() => client.messages.length === mixed.length, 5000, 'all compressed frames');
  assert.ok(client.messages.every((message) => message.binary), 'frames are binary');
  assert.is(gunzipSync(client.messages[0]!.data).toString('utf8'), mixed[0], 'frames decode to the lines');
});

replay('other paths get 404', async (context) => {
  context.server = await startReplayServer({ events: toCapture(mixed) });
  const error = await connect(context.server.url.replace('/subscribe', '/other')).then(
    () => null,
    (failure: Error) => failure,
  );
  assert.match(error?.message ?? '', '404', 'handshake fails with 404');
});

replay.run();
