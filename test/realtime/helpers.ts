/**
 * Shared set-up for the Socket.IO tests: a real Socket.IO server on 127.0.0.1 port 0 fed
 * through the hub, real socket.io-client connections, and committed batches built from
 * Jetstream lines with the consumer's own decoder.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { io as connectClient, type Socket as ClientSocket, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { Hub } from '../../src/hub/hub.ts';
import type { HubEvents, IngestBatch, IngestEffect, PostRecord, Sentiment } from '../../src/hub/events.ts';
import { silentLogger, type Logger } from '../../src/log/logger.ts';
import { createStatistics, type Statistics } from '../../src/stats/index.ts';
import { createRealtime, type Realtime } from '../../src/realtime/index.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/realtime/protocol.ts';
import { decodeEvent } from '../../src/firehose/jetstream-event.ts';
import { toEffect } from '../../src/firehose/effects.ts';
import { polarityScores } from '../../src/sentiment/analyzer.ts';

export type TestClient = ClientSocket<ServerToClientEvents, ClientToServerEvents>;

export interface RealtimeServer {
  readonly port: number;
  readonly url: string;
  readonly hub: Hub<HubEvents>;
  readonly realtime: Realtime;
  readonly statistics: Statistics;
  readonly httpServer: HttpServer;
  readonly config: Config;
  close(): Promise<void>;
}

/** Test configuration: the real defaults, with `overrides` applied; never a public endpoint. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig({ JETSTREAM_URL: 'ws://127.0.0.1:9/subscribe', PORT: '0', LOG_LEVEL: 'silent' }, overrides);
}

/** Starts Socket.IO on a plain HTTP server on 127.0.0.1, fed by its own hub. */
export async function startRealtimeServer(overrides: Partial<Config> = {}, logger: Logger = silentLogger()): Promise<RealtimeServer> {
  const config = testConfig(overrides);
  const hub = new Hub<HubEvents>();
  const now = Date.now;
  const statistics = createStatistics({
    config,
    hub,
    store: { totals: () => ({ posts: 0, positive: 0, neutral: 0, negative: 0, unscored: 0 }) },
    now,
    startedAt: now(),
    runtime: 'node',
    serviceVersion: 'test',
  });
  const httpServer = createServer((_request, response) => {
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  });
  const realtime = await createRealtime({ config, hub, statistics, httpServer, logger, now });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    hub,
    realtime,
    statistics,
    httpServer,
    config,
    async close() {
      await realtime.close();
      statistics.close();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
  };
}

/** Connects a client over WebSocket and waits for its `session` message. */
export async function connect(url: string, options: Partial<ManagerOptions & SocketOptions> = {}): Promise<TestClient> {
  const client: TestClient = connectClient(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...options });
  const session = new Promise<void>((resolve) => client.once('session', () => resolve()));
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('connect_error', (error) => reject(error));
    }),
    5000,
    'socket.io client connect',
  );
  await withTimeout(session, 5000, 'session message after connect');
  return client;
}

/** Rejects with a message naming `what` when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `condition` every 10 ms until it is true; throws naming `what` after `ms`. */
export async function waitUntil(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends a request and resolves with its acknowledgement. */
export function request<E extends keyof ClientToServerEvents>(client: TestClient, event: E, payload: unknown): Promise<Record<string, unknown>> {
  const emit = client.timeout(5000).emitWithAck as (event: string, payload: unknown) => Promise<Record<string, unknown>>;
  return emit.call(client.timeout(5000), event, payload);
}

const scorer = {
  score(text: string, langs: readonly string[]): Sentiment {
    const english = langs.length === 0 || langs.some((tag) => tag.toLowerCase().startsWith('en'));
    if (!english || text.trim() === '') return { neg: 0, neu: 0, pos: 0, compound: 0, label: 'unscored' };
    const scores = polarityScores(text);
    let label: Sentiment['label'] = 'neutral';
    if (scores.compound >= 0.05) label = 'positive';
    else if (scores.compound <= -0.05) label = 'negative';
    return { ...scores, label };
  },
};

/** Effects of the Jetstream lines in `path`, decoded and scored as the consumer does. */
export function effectsFromCapture(path: string, limit = Infinity): IngestEffect[] {
  const effects: IngestEffect[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (effects.length >= limit) break;
    if (line.trim() === '') continue;
    const effect = toEffect(decodeEvent(JSON.parse(line)), scorer, 10_000);
    if (effect) effects.push(effect);
  }
  return effects;
}

/** Splits effects into committed batches of `size`. */
export function batchesOf(effects: IngestEffect[], size: number): IngestBatch[] {
  const batches: IngestBatch[] = [];
  for (let start = 0; start < effects.length; start += size) {
    const slice = effects.slice(start, start + size);
    batches.push({ effects: slice, cursor: start + slice.length, eventCount: slice.length });
  }
  return batches;
}

let postCounter = 0;

/** A post created now, with the given text, label and languages. */
export function makePost(text: string, options: { label?: Sentiment['label']; langs?: string[]; compound?: number } = {}): PostRecord {
  postCounter += 1;
  const rkey = `3test${postCounter.toString(36).padStart(8, '0')}`;
  const did = 'did:plc:testtesttesttesttesttest';
  const label = options.label ?? 'neutral';
  const defaultCompound: Record<Sentiment['label'], number> = { positive: 0.5, negative: -0.5, neutral: 0, unscored: 0 };
  const compound = options.compound ?? defaultCompound[label];
  return {
    uri: `at://${did}/app.bsky.feed.post/${rkey}`,
    did,
    rkey,
    text,
    langs: options.langs ?? ['en'],
    createdAt: new Date().toISOString(),
    indexedAt: new Date().toISOString(),
    timeUs: Date.now() * 1000 + postCounter,
    isReply: false,
    isQuote: false,
    sentiment: { neg: 0, neu: 1, pos: 0, compound, label },
  };
}

/** A committed batch creating `posts`. */
export function createBatch(posts: PostRecord[]): IngestBatch {
  return { effects: posts.map((post) => ({ kind: 'upsert', operation: 'create', post })), cursor: Date.now() * 1000, eventCount: posts.length };
}

/** Collects the posts a client receives in `posts` messages, in order. */
export function collectPosts(client: TestClient): { uris: string[]; messages: number } {
  const received = { uris: [] as string[], messages: 0 };
  client.on('posts', (message) => {
    received.messages += 1;
    for (const post of message.posts) received.uris.push(post.uri);
  });
  return received;
}
