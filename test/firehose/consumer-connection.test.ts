import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startReplayServer, type ReplayServer } from '../../src/firehose/replay-server.ts';
import { postSeries, toCapture } from '../support/jetstream-fixtures.ts';
import { startIngest, type IngestHarness } from '../support/ingest-harness.ts';
import { faultHooks, freePort, waitFor } from '../support/replay-faults.ts';
import { temporaryFolder } from '../support/service-process.ts';

const START = 1_735_689_600_000_000;
const REWIND_US = 3_000_000;

interface Context {
  servers: ReplayServer[];
  ingest?: IngestHarness;
}

const connection = suite<Context>('consumer connection', { servers: [] });

connection.after.each(async (context) => {
  await context.ingest?.close();
  for (const server of context.servers) await server.close();
  context.ingest = undefined;
  context.servers = [];
});

const lastTime = (count: number) => START + (count - 1) * 1000;

connection('TCP drop without close frame resumes from the stored cursor', async (context) => {
  const lines = postSeries(1000, START);
  const cursorsAtReconnect: Array<{ requested: number; committed: number[] }> = [];
  let dropped = false;
  // At the original pace (1 ms apart) the consumer has committed batches before event 500.
  const server = await startReplayServer({
    events: toCapture(lines),
    speed: 1,
    hooks: {
      beforeEvent(replayConnection, event) {
        if (!dropped && event.index === 500) {
          dropped = true;
          replayConnection.drop();
          return false;
        }
      },
      onConnection(replayConnection) {
        if (replayConnection.id === 1) return;
        const requested = Number(replayConnection.url.searchParams.get('cursor'));
        cursorsAtReconnect.push({ requested, committed: context.ingest!.ledger.batches.map((batch) => batch.cursor) });
      },
    },
  });
  context.servers.push(server);
  context.ingest = await startIngest({ urls: [server.url] });
  await context.ingest.waitForCursor(lastTime(1000));

  assert.is(server.totalConnections, 2, 'one reconnect');
  const [reconnect] = cursorsAtReconnect;
  assert.ok(reconnect, 'the reconnect was seen');
  assert.ok(reconnect!.requested > 0, 'the reconnect carries a cursor');
  assert.ok(reconnect!.committed.includes(reconnect!.requested + REWIND_US), `cursor ${reconnect!.requested} is a committed cursor minus the rewind`);
  assert.is(await context.ingest.countPosts(), 1000, 'exactly 1000 posts stored');
  assert.ok([...context.ingest.ledger.creates.values()].every((count) => count === 1), 'no create committed twice');
  assert.is(context.ingest.sockets.maxOpen, 1, 'one client socket at a time');
});

connection('status is published with every commit', async (context) => {
  const server = await startReplayServer({ events: toCapture(postSeries(300, START)), speed: 'max' });
  context.servers.push(server);
  // A status timer that never fires in this test: only commits can publish the cursor.
  context.ingest = await startIngest({ urls: [server.url], firehose: { statusIntervalMs: 600_000 } });
  const { ingest } = context;
  let behind = 0;
  ingest.hub.subscribe('committed', (batch) => {
    const status = ingest.latestStatus();
    if ((status?.cursor ?? 0) < batch.cursor || (status?.eventsReceived ?? 0) < batch.effects.length) behind += 1;
  });
  await ingest.waitForCursor(lastTime(300));
  await waitFor(() => ingest.latestStatus()?.cursor === lastTime(300), 2000, 'status carries the last committed cursor');
  assert.ok((ingest.latestStatus()?.eventsReceived ?? 0) >= 300, 'status counts every event received');
  assert.is(behind, 0, 'no commit left the published status behind it');
});

connection('refused port, later up, then connection resets', async (context) => {
  const port = await freePort();
  context.ingest = await startIngest({ urls: [`ws://127.0.0.1:${port}/subscribe`], firehose: { readinessBudgetMs: 100 } });
  const { ingest } = context;
  await waitFor(() => ingest.sockets.created >= 5, 5000, 'several refused attempts');
  await waitFor(() => !ingest.firehose.readiness().ready, 3000, 'not ready after the budget');
  assert.match(ingest.firehose.readiness().reason ?? '', 'ECONNREFUSED', 'readiness names the cause');
  const status = ingest.latestStatus();
  assert.is(status?.connected, false, 'status reports the upstream as disconnected');
  assert.ok((status?.reconnects ?? 0) >= 4, 'reconnects counted');

  const delays = ingest.logs().filter((line) => line.msg === 'upstream connection ended; reconnecting').map((line) => Number(line.delayMs));
  assert.ok(delays.every((delay) => delay >= 1 && delay <= 50), `delays stay between floor and cap: ${delays}`);

  const { hooks, counters } = faultHooks({ resetConnections: 3 });
  const server = await startReplayServer({ events: toCapture(postSeries(100, START)), port, hooks });
  context.servers.push(server);
  await ingest.waitForCursor(lastTime(100));
  assert.is(counters.resets, 3, 'three connections were reset');
  assert.is(await ingest.countPosts(), 100, 'each of the 100 posts stored');
  assert.ok([...ingest.ledger.creates.values()].every((count) => count === 1), 'each stored once');
  assert.is(server.maxConnections, 1, 'the server never saw two connections at once');
  assert.is(ingest.sockets.maxOpen, 1, 'the client never had two sockets open');
  await waitFor(() => ingest.firehose.readiness().ready, 3000, 'ready again once connected');
});

for (const fault of ['silence', 'freeze'] as const) {
  connection(`stalled upstream (${fault}) is replaced`, async (context) => {
    const lines = postSeries(200, START, 100_000);
    const { hooks, counters } = faultHooks(fault === 'silence' ? { silenceAfter: 100 } : { freezeAfter: 100 });
    const server = await startReplayServer({ events: toCapture(lines), hooks });
    context.servers.push(server);
    // A stall timeout above the ping interval gives the silent upstream time to answer a ping.
    context.ingest = await startIngest({ urls: [server.url], env: { STALL_TIMEOUT_SECONDS: '2' } });
    await context.ingest.waitForCursor(START + 199 * 100_000, 15_000);

    assert.is(fault === 'silence' ? counters.silenced : counters.frozen, 1, 'fault injected');
    assert.is(await context.ingest.countPosts(), 200, 'all posts stored');
    const stall = context.ingest.logs().find((line) => line.msg === 'upstream stalled; replacing the connection');
    assert.ok(stall, 'stall logged');
    assert.is(stall!.answersPings, fault === 'silence', 'log says whether pings were still answered');
    assert.is(context.ingest.sockets.maxOpen, 1, 'one client socket at a time');
  });
}

connection('clean close by the upstream reconnects with the cursor', async (context) => {
  let closed = false;
  const server = await startReplayServer({
    events: toCapture(postSeries(300, START)),
    speed: 1,
    hooks: {
      beforeEvent(replayConnection, event) {
        if (!closed && event.index === 150) {
          closed = true;
          replayConnection.silence();
          replayConnection.ws.close(1000, 'idle');
          return false;
        }
      },
    },
  });
  context.servers.push(server);
  context.ingest = await startIngest({ urls: [server.url] });
  await context.ingest.waitForCursor(lastTime(300));
  assert.is(server.totalConnections, 2, 'reconnected once');
  assert.ok(Number(server.requests[1]!.searchParams.get('cursor')) > 0, 'with a cursor');
  assert.is(await context.ingest.countPosts(), 300, 'all posts stored');
});

connection('fails over to the next endpoint in order', async (context) => {
  const refused = await freePort();
  const server = await startReplayServer({ events: toCapture(postSeries(50, START)) });
  context.servers.push(server);
  context.ingest = await startIngest({ urls: [`ws://127.0.0.1:${refused}/subscribe`, server.url] });
  await context.ingest.waitForCursor(lastTime(50));
  assert.is(context.ingest.sockets.urls[0]!.startsWith(`ws://127.0.0.1:${refused}/`), true, 'the first endpoint is tried first');
  await waitFor(() => context.ingest!.latestStatus()?.endpoint === server.url, 3000, 'status names the endpoint in use');
  assert.is(await context.ingest.countPosts(), 50, 'all posts stored');
});

connection('stop flushes the pending batch, closes with 1000, and a restart resumes', async (context) => {
  const folder = temporaryFolder('skypulse-stop-');
  try {
    const lines = postSeries(2000, START);
    let release: () => void = () => undefined;
    let held = false;
    const server = await startReplayServer({ events: toCapture(lines), speed: 1 });
    context.servers.push(server);
    const first = await startIngest({
      urls: [server.url],
      folder: folder.path,
      env: { BATCH_MAX_EVENTS: '100' },
      // Holds the second commit back, so events are waiting in the queue when stop() is called.
      onBatch(batch) {
        if (held || batch.cursor < START + 100_000) return;
        held = true;
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    await waitFor(() => (first.latestStatus()?.eventsReceived ?? 0) >= 300, 10_000, 'events received');
    const stopping = first.close();
    release();
    await stopping;

    await waitFor(() => server.closeCodes.length > 0, 3000, 'server saw the close');
    assert.equal(server.closeCodes, [1000], 'upstream closed with 1000');
    const finalStatus = first.statuses.at(-1)!;
    assert.is(finalStatus.queueDepth, 0, 'queue drained on stop');
    const reopened = await startIngest({ urls: [server.url], folder: folder.path });
    context.ingest = reopened;
    const saved = first.ledger.lastCursor!;
    await waitFor(() => server.totalConnections >= 2, 5000, 'restart connected');
    assert.is(Number(server.requests[1]!.searchParams.get('cursor')), saved - REWIND_US, 'restart resumes from the saved cursor minus the rewind');
    const coveredAtStop = lines.filter((_, index) => START + index * 1000 <= saved).length;
    assert.ok(coveredAtStop >= 300, `the saved cursor covers every event received before stop (${coveredAtStop})`);
    assert.is(first.ledger.alive.size, coveredAtStop, 'every covered post was committed');
  } finally {
    await context.ingest?.close();
    context.ingest = undefined;
    folder.remove();
  }
});

connection.run();
