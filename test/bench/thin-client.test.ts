import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { readPostUris, readSentAt, readTotal } from '../../bench/lib/batch-frame.ts';
import { ThinClient } from '../../bench/workers/thin-client.ts';

interface Context {
  http: HttpServer;
  io: Server;
  baseUrl: string;
}

const thin = suite<Context>('bench thin client');

thin.before.each(async (context) => {
  context.http = createServer();
  // Short ping settings: a client that sends no pong is dropped within 150 ms.
  context.io = new Server(context.http, { pingInterval: 50, pingTimeout: 100, transports: ['websocket'] });
  await new Promise<void>((resolve) => context.http.listen(0, '127.0.0.1', resolve));
  context.baseUrl = `http://127.0.0.1:${(context.http.address() as AddressInfo).port}`;
});

thin.after.each(async (context) => {
  context.io.disconnectSockets(true);
  await new Promise<void>((resolve) => context.io.close(() => resolve()));
});

function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (condition()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }
    }, 10);
  });
}

thin('receives posts batches as frames', async ({ io, baseUrl }) => {
  const frames: string[] = [];
  const client = new ThinClient({ baseUrl, onPostsFrame: (frame) => frames.push(frame.toString()), onUnexpectedClose: () => undefined });
  await client.connect();
  try {
    assert.is(io.engine.clientsCount, 1, 'server sees one connected client');
    io.emit('stats' as never, { ignored: true } as never);
    io.emit('posts' as never, { posts: [{ uri: 'at://did:plc:a/app.bsky.feed.post/1', text: 'hi' }], sentAt: 1234, total: 3, sampled: true } as never);
    await waitFor(() => frames.length === 1, 'one posts frame');
    assert.is(readSentAt(frames[0]!), 1234, 'sentAt read from the delivered frame');
    assert.is(readTotal(frames[0]!, 0), 3, 'total read from the delivered frame');
    assert.equal(readPostUris(frames[0]!), ['at://did:plc:a/app.bsky.feed.post/1'], 'uri read from the delivered frame');
  } finally {
    client.close();
  }
});

thin('answers pings and stays connected', async ({ io, baseUrl }) => {
  const closes: string[] = [];
  const client = new ThinClient({ baseUrl, onPostsFrame: () => undefined, onUnexpectedClose: (reason) => closes.push(reason) });
  await client.connect();
  try {
    // Six ping intervals: without pongs the server would have dropped the client.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.is(io.engine.clientsCount, 1, 'client still connected after several pings');
    assert.equal(closes, [], 'no unexpected close');
  } finally {
    client.close();
  }
});

thin('reports a server-side disconnect', async ({ io, baseUrl }) => {
  const closes: string[] = [];
  const client = new ThinClient({ baseUrl, onPostsFrame: () => undefined, onUnexpectedClose: (reason) => closes.push(reason) });
  await client.connect();
  io.disconnectSockets(true);
  await waitFor(() => closes.length > 0, 'the close callback');
  assert.is(closes.length, 1, 'close reported once');
  client.close();
});

thin('rejects when nothing listens', async () => {
  const client = new ThinClient({ baseUrl: 'http://127.0.0.1:9', onPostsFrame: () => undefined, onUnexpectedClose: () => undefined, timeoutMs: 2000 });
  const failure = await client.connect().then(
    () => null,
    (error: Error) => error,
  );
  assert.instance(failure, Error, 'connect rejects with an error');
});

thin.run();
