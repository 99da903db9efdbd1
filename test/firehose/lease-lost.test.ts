import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from '@libsql/client/sqlite3';
import { startReplayServer, type ReplayServer } from '../../src/firehose/replay-server.ts';
import { postSeries, toCapture } from '../support/jetstream-fixtures.ts';
import { startIngest, type IngestHarness } from '../support/ingest-harness.ts';
import { waitFor } from '../support/replay-faults.ts';

const START = 1_735_689_600_000_000;

interface Context {
  server?: ReplayServer;
  ingest?: IngestHarness;
}

const lost = suite<Context>('consumer after the ingest lease is lost');

lost.after.each(async (context) => {
  await context.ingest?.close();
  await context.server?.close();
  context.ingest = context.server = undefined;
});

lost('consumer stops and disconnects', async (context) => {
  // 100 posts a second without end, so batches keep coming after the lease is gone.
  context.server = await startReplayServer({ events: toCapture(postSeries(200, START, 10_000)), speed: 1, loop: true });
  context.ingest = await startIngest({ urls: [context.server.url] });
  const { ingest } = context;
  await ingest.waitForCursor(START + 200_000);

  const other = createClient({ url: ingest.databaseUrl, timeout: 2000 });
  try {
    await other.execute(`UPDATE ingest_lease SET owner = 'successor', host = 'ingest-host-b.example', pid = 4242 WHERE id = 1`);
  } finally {
    other.close();
  }

  await waitFor(() => !ingest.firehose.readiness().ready, 5000, () => `still ready: ${JSON.stringify(ingest.firehose.readiness())}`);
  assert.match(ingest.firehose.readiness().reason ?? '', 'Another process took over ingest', 'readiness names the cause');
  const fatal = ingest.logs().find((line) => line.level === 60);
  assert.is(fatal?.msg, 'the ingest pipeline stopped, so the consumer disconnects and stores nothing more', 'one fatal line says what happened');
  await waitFor(() => ingest.sockets.open === 0, 5000, 'the upstream socket stayed open');

  const stored = await ingest.countPosts();
  const cursor = await ingest.store.readCursor();
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.is(await ingest.countPosts(), stored, 'no post stored after the lease was lost');
  assert.is(await ingest.store.readCursor(), cursor, 'the cursor stayed where it was');
  assert.not.ok(ingest.logs().some((line) => line.msg === 'storing a batch failed; retrying the same batch'), 'the batch was not retried');
});

lost.run();
