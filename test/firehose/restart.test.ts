import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config/load.ts';
import { startReplayServer, type ReplayServer } from '../../src/firehose/replay-server.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { openStore } from '../../src/store/index.ts';
import type { StatsSnapshot } from '../../src/hub/events.ts';
import { toCapture } from '../support/jetstream-fixtures.ts';
import { readSlice } from '../support/expected-posts.ts';
import { TEST_INGEST_ENV } from '../support/ingest-harness.ts';
import { waitFor } from '../support/replay-faults.ts';
import { startServiceProcess, temporaryFolder, type ServiceProcess } from '../support/service-process.ts';
import { sharedDataPath, skipWithoutSharedData } from '../support/shared-data.ts';

const REWIND_US = 3_000_000;

interface Context {
  server?: ReplayServer;
  service?: ServiceProcess;
  folder?: ReturnType<typeof temporaryFolder>;
}

async function firehoseStatus(service: ServiceProcess): Promise<StatsSnapshot['firehose'] | null> {
  try {
    const response = await fetch(`${service.baseUrl}/api/stats`);
    if (!response.ok) return null;
    return ((await response.json()) as StatsSnapshot).firehose;
  } catch {
    return null;
  }
}

const restart = suite<Context>('restart after SIGKILL');

restart.after.each(async (context) => {
  await context.service?.stop('SIGKILL').catch(() => undefined);
  await context.server?.close();
  context.folder?.remove();
  context.service = context.server = context.folder = undefined;
});

restart('killed mid-replay, restarted, ends with the exact posts', async (context) => {
  if (skipWithoutSharedData('jetstream-bench.ndjson')) return;
  const slice = readSlice(sharedDataPath('jetstream-bench.ndjson')!);
  context.server = await startReplayServer({ events: toCapture(slice.lines) });
  context.folder = temporaryFolder('skypulse-restart-');
  const env = {
    ...TEST_INGEST_ENV,
    STALL_TIMEOUT_SECONDS: '5',
    JETSTREAM_URL: context.server.url,
    DATABASE_URL: `file:${context.folder.path}/skypulse.db`,
  };

  const firstTimeUs = Number((JSON.parse(slice.lines[0]!) as { time_us: number }).time_us);
  const killAfter = firstTimeUs + (slice.lastTimeUs - firstTimeUs) * 0.3;
  context.service = await startServiceProcess({ env });
  let cursorBeforeKill = 0;
  await waitFor(
    async () => {
      cursorBeforeKill = (await firehoseStatus(context.service!))?.cursor ?? 0;
      return cursorBeforeKill > killAfter;
    },
    120_000,
    () => `stored cursor ${cursorBeforeKill} did not pass 30% of the stream`,
  );
  const killed = await context.service.stop('SIGKILL');
  assert.is(killed.signal, 'SIGKILL', 'the first process was killed');
  const connectionsBefore = context.server.totalConnections;

  context.service = await startServiceProcess({ env });
  await waitFor(() => context.server!.totalConnections > connectionsBefore, 20_000, 'restarted process connected');
  const resumedFrom = Number(context.server.requests[connectionsBefore]!.searchParams.get('cursor'));
  assert.ok(resumedFrom >= cursorBeforeKill - REWIND_US, `resumed at ${resumedFrom}, not before the cursor stored before the kill (${cursorBeforeKill}) minus the rewind`);
  assert.ok(resumedFrom < slice.lastTimeUs, 'resumed before the end of the stream');

  let cursor: number | null = null;
  await waitFor(
    async () => {
      cursor = (await firehoseStatus(context.service!))?.cursor ?? null;
      return cursor === slice.lastTimeUs;
    },
    120_000,
    () => `stored cursor ${cursor} did not reach ${slice.lastTimeUs}`,
  );
  const stopped = await context.service.stop('SIGTERM');
  assert.is(stopped.code, 0, 'clean exit after SIGTERM');
  context.service = undefined;

  const config = loadConfig({ DATABASE_URL: env.DATABASE_URL, INGEST: 'false' });
  const store = await openStore({ config, logger: silentLogger(), reader: true });
  try {
    const rows = await store.client.execute('SELECT uri FROM posts');
    const stored = rows.rows.map((row) => String(row.uri));
    assert.is(stored.length, slice.alive.size, 'exact post count after the restart');
    assert.is(new Set(stored).size, stored.length, 'each post stored once');
    assert.is(stored.filter((uri) => !slice.alive.has(uri)).length, 0, 'only expected posts stored');
  } finally {
    await store.close();
  }
});

restart.run();
