/**
 * Builds the HTTP app on real parts: a libSQL store on a temporary file filled with known posts,
 * the statistics module on a hub, prom-client metrics, and a temporary static folder. Tests
 * call `app.request()` in-process, or `listen()` for a real server on 127.0.0.1.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { Hub } from '../../src/hub/hub.ts';
import type { Announcement, HubEvents, IngestBatch, PostRecord, SentimentLabel } from '../../src/hub/events.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { createStatistics, type Statistics } from '../../src/stats/index.ts';
import { createApp, type AppOptions } from '../../src/http/app.ts';
import { createMetrics, type Metrics } from '../../src/http/metrics.ts';
import type { FirehoseReadiness } from '../../src/firehose/index.ts';
import { temporaryFolder } from '../support/service-process.ts';

/** Time of the first fixture post: 2025-01-31T12:00:00Z. */
export const BASE_MS = Date.UTC(2025, 0, 31, 12);

export interface PostSpec {
  rkey: string;
  text: string;
  /** Milliseconds after BASE_MS. */
  offsetMs: number;
  label?: SentimentLabel;
  compound?: number;
  langs?: string[];
  did?: string;
}

/** Builds the stored post record for `spec`; the compound decides the label unless one is given. */
export function postRecord(spec: PostSpec, baseMs = BASE_MS): PostRecord {
  const did = spec.did ?? 'did:plc:fixture';
  const compound = spec.compound ?? 0;
  let label: SentimentLabel = 'neutral';
  if (spec.label) label = spec.label;
  else if (compound >= 0.05) label = 'positive';
  else if (compound <= -0.05) label = 'negative';
  const timeMs = baseMs + spec.offsetMs;
  const scored = label !== 'unscored';
  return {
    uri: `at://${did}/app.bsky.feed.post/${spec.rkey}`,
    did,
    rkey: spec.rkey,
    text: spec.text,
    langs: spec.langs ?? ['en'],
    createdAt: new Date(timeMs - 500).toISOString(),
    indexedAt: new Date(timeMs).toISOString(),
    timeUs: timeMs * 1000,
    isReply: false,
    isQuote: false,
    sentiment: {
      neg: scored && compound < 0 ? -compound : 0,
      neu: scored ? 1 - Math.abs(compound) : 0,
      pos: scored && compound > 0 ? compound : 0,
      compound: scored ? compound : 0,
      label,
    },
  };
}

/** Builds one ingest batch that creates every post in `specs`, with times counted from `baseMs`. */
export function createBatch(specs: PostSpec[], baseMs = BASE_MS): IngestBatch {
  const effects = specs.map((spec) => ({ kind: 'upsert' as const, operation: 'create' as const, post: postRecord(spec, baseMs) }));
  const cursor = Math.max(...effects.map((effect) => effect.post.timeUs));
  return { effects, cursor, eventCount: effects.length };
}

/** The posts most route tests use: every label, several languages, awkward text. */
export const FIXTURE_POSTS: PostSpec[] = [
  { rkey: 'p01', offsetMs: 0, text: 'What a wonderful morning', compound: 0.8 },
  { rkey: 'p02', offsetMs: 60_000, text: 'Terrible traffic again', compound: -0.7 },
  { rkey: 'p03', offsetMs: 120_000, text: 'The train leaves at noon', compound: 0 },
  { rkey: 'p04', offsetMs: 180_000, text: 'Guten Morgen zusammen', label: 'unscored', langs: ['de'] },
  { rkey: 'p05', offsetMs: 240_000, text: 'She said "fine, thanks", and left', compound: 0.3 },
  { rkey: 'p06', offsetMs: 300_000, text: '=HYPERLINK("http://example.invalid","click")', compound: 0 },
  { rkey: 'p07', offsetMs: 360_000, text: 'first line\nsecond line\r\nthird', compound: -0.2 },
  { rkey: 'p08', offsetMs: 420_000, text: 'Great weather for the weekend', compound: 0.6, langs: ['en-GB'] },
  { rkey: 'p09', offsetMs: 3_600_000, text: '-5 degrees and the heating broke', compound: -0.9 },
  { rkey: 'p10', offsetMs: 3_660_000, text: '@everyone the weather is lovely', compound: 0.9 },
  { rkey: 'p11', offsetMs: 3_720_000, text: 'おはようございます', label: 'unscored', langs: ['ja'] },
  { rkey: 'p12', offsetMs: 3_780_000, text: '<script>alert(1)</script> weather', compound: 0.1, langs: [] },
];

export interface Harness {
  app: ReturnType<typeof createApp>;
  store: Store;
  hub: Hub<HubEvents>;
  statistics: Statistics;
  config: Config;
  metrics: Metrics;
  folder: string;
  staticRoot: string;
  /** Announcements published on the hub. */
  announcements: Announcement[];
  /** Change to make the firehose part of /readyz fail. */
  firehose: { readiness: FirehoseReadiness | null };
  now: number;
  /** Starts a real HTTP server for the app on 127.0.0.1 and returns its base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  posts?: PostSpec[];
  app?: Partial<AppOptions>;
  defaultMetrics?: boolean;
}

/** Files of the temporary static folder, and a file beside it that must never be served. */
function writeStaticFiles(folder: string): string {
  const root = join(folder, 'static');
  mkdirSync(join(root, 'dist'), { recursive: true });
  mkdirSync(join(root, 'src'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>skypulse test page</title>\n');
  writeFileSync(join(root, 'dist', 'app.js'), 'console.log("dashboard bundle");\n');
  writeFileSync(join(root, 'dist', 'app.css'), 'body { margin: 0 }\n');
  writeFileSync(join(root, 'src', 'main.ts'), 'export const source = "typescript source";\n');
  writeFileSync(join(root, '.env'), 'SECRET=dotfile\n');
  writeFileSync(join(folder, 'secret.txt'), 'outside the static folder\n');
  return root;
}

export async function openHarness({ env = {}, posts = FIXTURE_POSTS, app: appOverrides = {}, defaultMetrics = false }: HarnessOptions = {}): Promise<Harness> {
  const temporary = temporaryFolder('skypulse-http-');
  const config = loadConfig({
    DATABASE_URL: `file:${join(temporary.path, 'db.sqlite')}`,
    JETSTREAM_URL: 'ws://127.0.0.1:9/subscribe',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const now = BASE_MS + 2 * 3_600_000;
  const clock = () => now;
  const logger = silentLogger();
  const hub = new Hub<HubEvents>();
  const store = await openStore({ config, logger, now: clock, pruneIntervalMs: 0 });
  if (posts.length > 0) await store.applyBatch(createBatch(posts));

  const statistics = createStatistics({ config, hub, store, now: clock, startedAt: now - 60_000, runtime: 'node', serviceVersion: 'test' });
  const metrics = createMetrics({
    logger,
    build: { version: 'test', runtime: 'node', runtimeVersion: 'test' },
    defaultMetrics,
    sources: { stats: () => statistics.snapshot(), clientCount: () => 0 },
  });
  const announcements: Announcement[] = [];
  hub.subscribe('announcement', (announcement) => void announcements.push(announcement));
  const firehose: { readiness: FirehoseReadiness | null } = { readiness: { ready: true, reason: null } };
  const staticRoot = writeStaticFiles(temporary.path);

  const app = createApp({
    config,
    store,
    statistics,
    logger,
    metrics,
    announce: (announcement) => hub.publish('announcement', announcement),
    readiness: () => ({ firehose: firehose.readiness }),
    clientCount: () => 0,
    staticRoot,
    now: clock,
    ...appOverrides,
  });

  const servers: Server[] = [];
  return {
    app,
    store,
    hub,
    statistics,
    config,
    metrics,
    folder: temporary.path,
    staticRoot,
    announcements,
    firehose,
    now,
    async listen() {
      const server = createAdaptorServer({ fetch: app.fetch, createServer }) as Server;
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      statistics.close();
      await store.close();
      temporary.remove();
    },
  };
}

/** Reads a JSON body; Node's fetch types return unknown. */
export async function json<T = Record<string, any>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
