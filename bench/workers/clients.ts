/**
 * Load-generator process: opens Socket.IO clients to the service on request from the harness
 * (over the fork IPC channel), records when each `posts` batch arrives at each client, and
 * reports latency histograms and per-client delivery digests.
 */
import { io, type Socket } from 'socket.io-client';
import { batchKey, batchKeyOf, bufferReaders, readPostUris, readSentAt, readTotal } from '../lib/batch-frame.ts';
import { LatencyHistogram } from '../lib/stats.ts';
import { wallClockMs } from '../lib/wall-clock.ts';
import type { ClientKind, DeliveryTally, HarnessToWorker, WorkerReport, WorkerToHarness } from './client-protocol.ts';
import { ThinClient } from './thin-client.ts';

const tallies: DeliveryTally[] = [];
const closers: Array<() => void> = [];
const batchLatency = new LatencyHistogram();
const postLatency = new LatencyHistogram();
const sendTimes = new Map<string, number>();
/** Arrival times of posts whose send time has not reached this process yet. */
const pendingArrivals = new Map<string, number[]>();
const errors: string[] = [];
let connectFailures = 0;
let disconnects = 0;
let lastArrivalMs = 0;

function send(message: WorkerToHarness): void {
  process.send!(message);
}

function noteError(message: string): void {
  if (errors.length < 20) errors.push(message);
}

function recordBatch(tally: DeliveryTally, sentAt: number, uris: readonly string[], matched: number): void {
  const arrived = wallClockMs();
  lastArrivalMs = arrived;
  tally.batches++;
  tally.posts += uris.length;
  tally.matched += matched;
  tally.digest = (tally.digest + batchKey(sentAt, uris)) >>> 0;
  if (Number.isFinite(sentAt)) batchLatency.record(arrived - sentAt);
  for (const uri of uris) recordPostArrival(uri, arrived);
}

/** Records end-to-end latency of one post, or keeps the arrival until its send time comes in. */
function recordPostArrival(uri: string, arrived: number): void {
  const sentMs = sendTimes.get(uri);
  if (sentMs !== undefined) return postLatency.record(arrived - sentMs);
  const waiting = pendingArrivals.get(uri);
  if (waiting) waiting.push(arrived);
  else pendingArrivals.set(uri, [arrived]);
}

function openThin(baseUrl: string, token: string | undefined, tally: DeliveryTally): Promise<() => void> {
  const client = new ThinClient({
    baseUrl,
    token,
    onPostsFrame: (data) => {
      const frame = data.toString();
      const uris = readPostUris(frame);
      recordBatch(tally, readSentAt(frame), uris, readTotal(frame, uris.length));
    },
    onUnexpectedClose: onThinClose,
  });
  return client.connect().then(() => () => client.close());
}

/**
 * Opens a thin client that reads only the bytes it needs from each batch: the stamp, the post
 * count, `total` and the first and last URIs. End-to-end latency is taken for the first post of
 * each batch, the one that waited longest in the service.
 */
function openThinBatch(baseUrl: string, token: string | undefined, tally: DeliveryTally): Promise<() => void> {
  const client = new ThinClient({
    baseUrl,
    token,
    onPostsFrame: (frame) => {
      const arrived = wallClockMs();
      const sentAt = bufferReaders.sentAt(frame);
      const count = bufferReaders.postCount(frame);
      const first = bufferReaders.firstUri(frame) ?? '';
      lastArrivalMs = arrived;
      tally.batches++;
      tally.posts += count;
      tally.matched += bufferReaders.total(frame, count);
      tally.digest = (tally.digest + batchKeyOf(sentAt, count, first, bufferReaders.lastUri(frame) ?? '')) >>> 0;
      if (Number.isFinite(sentAt)) batchLatency.record(arrived - sentAt);
      if (first) recordPostArrival(first, arrived);
    },
    onUnexpectedClose: onThinClose,
  });
  return client.connect().then(() => () => client.close());
}

function onThinClose(reason: string): void {
  disconnects++;
  noteError(`client disconnected: ${reason}`);
}

function openSocketIo(baseUrl: string, token: string | undefined, tally: DeliveryTally): Promise<() => void> {
  const socket: Socket = io(baseUrl, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: 20_000,
    auth: token === undefined ? undefined : { token },
  });
  let closing = false;
  socket.on('posts', (message: { sentAt: number; total?: number; posts: Array<{ uri: string }> }) =>
    recordBatch(tally, message.sentAt, message.posts.map((post) => post.uri), message.total ?? message.posts.length),
  );
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.on('disconnect', (reason) => {
        if (closing) return;
        disconnects++;
        noteError(`client disconnected: ${reason}`);
      });
      resolve(() => {
        closing = true;
        socket.disconnect();
      });
    });
    socket.once('connect_error', (error) => {
      socket.disconnect();
      reject(error);
    });
  });
}

/** Opens `count` clients at `perSecond`, with at most 50 handshakes in flight. */
async function connectClients(baseUrl: string, count: number, perSecond: number, kind: ClientKind, token?: string): Promise<number> {
  const openers = { thin: openThin, 'thin-batch': openThinBatch, 'socket.io': openSocketIo } satisfies Record<ClientKind, unknown>;
  const open = openers[kind];
  const intervalMs = 1000 / perSecond;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let connected = 0;
  for (let index = 0; index < count; index++) {
    const due = started + index * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    while (inFlight.size >= 50) await Promise.race(inFlight);

    const tally: DeliveryTally = { batches: 0, posts: 0, matched: 0, digest: 0 };
    const attempt = open(baseUrl, token, tally).then(
      (close) => {
        tallies.push(tally);
        closers.push(close);
        connected++;
      },
      (error: Error) => {
        connectFailures++;
        noteError(`connect failed: ${error.message}`);
      },
    );
    const tracked: Promise<void> = attempt.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  return connected;
}

function addSendTimes(entries: Array<[string, number]>): void {
  for (const [uri, sentMs] of entries) {
    sendTimes.set(uri, sentMs);
    const waiting = pendingArrivals.get(uri);
    if (!waiting) continue;
    for (const arrived of waiting) postLatency.record(arrived - sentMs);
    pendingArrivals.delete(uri);
  }
}

function buildReport(): WorkerReport {
  const digests = new Map<string, DeliveryTally & { clients: number }>();
  for (const tally of tallies) {
    const key = `${tally.batches}/${tally.posts}/${tally.matched}/${tally.digest}`;
    const entry = digests.get(key);
    if (entry) entry.clients++;
    else digests.set(key, { ...tally, clients: 1 });
  }
  let unmatchedPosts = 0;
  for (const waiting of pendingArrivals.values()) unmatchedPosts += waiting.length;
  return {
    clients: tallies.length + connectFailures,
    connected: tallies.length,
    connectFailures,
    disconnects,
    batchLatency: batchLatency.toJSON(),
    postLatency: postLatency.toJSON(),
    unmatchedPosts,
    digests: [...digests.values()],
    lastArrivalMs,
    errors,
  };
}

process.on('message', (message: HarnessToWorker) => {
  switch (message.type) {
    case 'connect':
      connectClients(message.baseUrl, message.count, message.perSecond, message.kind, message.token).then(
        (connected) => send({ type: 'connected', connected, failures: connectFailures }),
        (error: Error) => send({ type: 'fatal', message: error.message }),
      );
      break;
    case 'send-times':
      addSendTimes(message.entries);
      break;
    case 'report':
      send({ type: 'report', report: buildReport() });
      break;
    case 'close':
      for (const close of closers) close();
      process.disconnect?.();
      setTimeout(() => process.exit(0), 200).unref();
      break;
  }
});

// The harness may die without sending `close`; an orphaned load generator must not linger.
process.on('disconnect', () => {
  for (const close of closers) close();
  setTimeout(() => process.exit(0), 200).unref();
});

send({ type: 'ready' });
