import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config/load.ts';
import { startService, type Service } from '../../src/cli/service.ts';
import { startReplayServer, type ReplayServer } from '../../src/firehose/replay-server.ts';
import { createLogger } from '../../src/log/logger.ts';
import { toCapture } from '../support/jetstream-fixtures.ts';
import { expectedAlivePosts, readSlice, type BenchSlice } from '../support/expected-posts.ts';
import { TEST_INGEST_ENV } from '../support/ingest-harness.ts';
import { faultHooks, freePort, waitFor, withTimeout, type FaultPlan } from '../support/replay-faults.ts';
import { temporaryFolder } from '../support/service-process.ts';
import { sharedDataPath, skipWithoutSharedData } from '../support/shared-data.ts';

/** Fault runs use the first 5,000 events (about 2 minutes of stream) to stay fast. */
const SLICE_EVENTS = 5_000;

interface Context {
  server?: ReplayServer;
  service?: Service;
  folder?: ReturnType<typeof temporaryFolder>;
  logs: Array<Record<string, unknown>>;
}

// A busy machine can hold the whole process up for a second. A 5 s stall timeout keeps such
// pauses from counting as upstream stalls in tests that count connections.
async function startIngestService(context: Context, url: string, stallSeconds = 5): Promise<Service> {
  context.folder = temporaryFolder('skypulse-bench-');
  const config = loadConfig({
    ...TEST_INGEST_ENV,
    STALL_TIMEOUT_SECONDS: String(stallSeconds),
    JETSTREAM_URL: url,
    DATABASE_URL: `file:${context.folder.path}/skypulse.db`,
    PORT: '0',
  });
  const logger = createLogger('info', { write: (line: string) => void context.logs.push(JSON.parse(line) as Record<string, unknown>) });
  context.service = await startService({ config, logger });
  return context.service;
}

/** Waits until the stored cursor reaches the last event, then checks the stored posts against the oracle. */
async function assertExactPosts(service: Service, expected: { alive: Set<string>; lastTimeUs: number }, timeoutMs: number): Promise<void> {
  await waitFor(async () => (await service.store.readCursor()) === expected.lastTimeUs, timeoutMs, () => `stored cursor did not reach ${expected.lastTimeUs}`);
  const rows = await service.store.client.execute('SELECT uri FROM posts');
  const stored = rows.rows.map((row) => String(row.uri));
  assert.is(await service.store.countPosts(), expected.alive.size, 'stored post count');
  assert.is(new Set(stored).size, stored.length, 'each post stored once');
  const missing = [...expected.alive].filter((uri) => !stored.includes(uri)).length;
  assert.is(missing, 0, 'no expected post missing');
}

const bench = suite<Context>('bench replay through the service', { logs: [] });

bench.after.each(async (context) => {
  if (context.service) await withTimeout(context.service.close(), 15_000, 'service.close()');
  await context.server?.close();
  context.folder?.remove();
  context.service = context.server = context.folder = undefined;
  context.logs = [];
});

bench('full bench file ends with the exact posts', async (context) => {
  if (skipWithoutSharedData('jetstream-bench.ndjson') || skipWithoutSharedData('jetstream-bench.expected.json')) return;
  const counts = JSON.parse(readFileSync(sharedDataPath('jetstream-bench.expected.json')!, 'utf8')) as Record<string, number>;
  const slice = readSlice(sharedDataPath('jetstream-bench.ndjson')!);
  assert.is(slice.alive.size, counts.posts_alive_at_end, 'the oracle agrees with the published count');
  assert.is(slice.lastTimeUs, counts.last_time_us, 'last event time');

  context.server = await startReplayServer({ events: toCapture(slice.lines) });
  const service = await startIngestService(context, context.server.url);
  await assertExactPosts(service, slice, 120_000);
  // The totals move when the main thread reads the write thread's reply, a moment after the
  // commit that made the cursor visible.
  const totals = () => service.statistics.refresh().totals.posts;
  await waitFor(async () => totals() === counts.posts_alive_at_end, 5000, () => `/api/stats totals stayed at ${totals()}`);
  assert.is(totals(), counts.posts_alive_at_end, '/api/stats totals');
  assert.is(context.server.maxConnections, 1, 'one upstream connection at a time');
});

const faults: Array<{ name: string; plan: FaultPlan; stallSeconds?: number }> = [
  { name: 'TCP dropped without close frame every 1,000 events', plan: { dropEvery: 1000 } },
  { name: 'upstream silent mid-stream', plan: { silenceAfter: SLICE_EVENTS / 2 }, stallSeconds: 1 },
  { name: 'malformed frames mixed in', plan: { malformedEvery: 97 } },
];

function loadSlice(): BenchSlice | null {
  if (skipWithoutSharedData('jetstream-bench.ndjson')) return null;
  return readSlice(sharedDataPath('jetstream-bench.ndjson')!, SLICE_EVENTS);
}

for (const { name, plan, stallSeconds } of faults) {
  bench(`first ${SLICE_EVENTS} events with ${name}`, async (context) => {
    const slice = loadSlice();
    if (!slice) return;
    const { hooks, counters } = faultHooks(plan);
    context.server = await startReplayServer({ events: toCapture(slice.lines), hooks });
    const service = await startIngestService(context, context.server.url, stallSeconds);
    await assertExactPosts(service, slice, 60_000);
    const connectionsAtEnd = context.server.totalConnections;
    assert.is(context.server.maxConnections, 1, 'one upstream connection at a time');
    if (plan.dropEvery) assert.ok(counters.drops >= SLICE_EVENTS / plan.dropEvery - 1, `dropped ${counters.drops} times`);
    if (plan.silenceAfter) assert.is(counters.silenced, 1, 'went silent once');
    if (plan.malformedEvery) {
      assert.ok(counters.malformed >= 50, `sent ${counters.malformed} malformed frames`);
      const dropped = () => service.statistics.snapshot().firehose.dropped;
      await waitFor(() => (dropped()['malformed-json'] ?? 0) > 0 && (dropped()['binary-frame'] ?? 0) > 0, 5000, () => `drops counted: ${JSON.stringify(dropped())}`);
      assert.is(connectionsAtEnd, 1, 'malformed frames never closed the connection');
    }
  });
}

bench(`first ${SLICE_EVENTS} events from a port refused at start-up`, async (context) => {
  const slice = loadSlice();
  if (!slice) return;
  const port = await freePort();
  const service = await startIngestService(context, `ws://127.0.0.1:${port}/subscribe`);
  await waitFor(() => context.logs.filter((line) => line.msg === 'upstream connection ended; reconnecting').length >= 3, 5000, 'refused attempts');
  const status = service.statistics.snapshot().firehose;
  assert.is(status.connected, false, 'reported as disconnected while refused');

  context.server = await startReplayServer({ events: toCapture(slice.lines), port });
  await assertExactPosts(service, slice, 60_000);
  assert.is(context.server.maxConnections, 1, 'one upstream connection at a time');
});

bench('oracle handles account removal', () => {
  const lines = [
    JSON.stringify({ did: 'did:plc:a', time_us: 1, kind: 'commit', commit: { operation: 'create', collection: 'app.bsky.feed.post', rkey: 'x' } }),
    JSON.stringify({ did: 'did:plc:a', time_us: 2, kind: 'account', account: { status: 'deleted' } }),
  ];
  assert.is(expectedAlivePosts(lines).size, 0, 'a deleted account leaves no post');
});

bench.run();
