import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createBackoff } from '../../src/firehose/backoff.ts';
import { createIngestQueue } from '../../src/firehose/ingest-queue.ts';
import { createIngestPipeline, type IngestPipeline } from '../../src/firehose/ingest-pipeline.ts';
import { decodeEvent, type DecodedEvent } from '../../src/firehose/jetstream-event.ts';
import { createDefaultScorer } from '../../src/firehose/default-scorer.ts';
import { loadConfig } from '../../src/config/load.ts';
import { Hub } from '../../src/hub/hub.ts';
import type { HubEvents, IngestBatch } from '../../src/hub/events.ts';
import { silentLogger } from '../../src/log/logger.ts';

const WAIT_MS = 10;

/**
 * Starts a batcher on a manual clock, whose timers fire only when the test moves the clock.
 * With `holdWrites`, each stored batch stays uncommitted until the test calls `commitNext`.
 */
function startBatcher(batchMaxEvents = 100, holdWrites = false) {
  let time = 1000;
  const timers: { at: number; callback: () => void; cleared: boolean }[] = [];
  let clearCalls = 0;
  const queue = createIngestQueue<DecodedEvent>(1000);
  const hub = new Hub<HubEvents>();
  const batches: string[][] = [];
  const announced: string[][] = [];
  const scored: string[] = [];
  const pendingCommits: (() => void)[] = [];
  const textsOf = (batch: IngestBatch) => batch.effects.map((effect) => (effect.kind === 'upsert' ? effect.post.text : effect.kind));
  hub.subscribe('batch', (batch) => {
    batches.push(textsOf(batch));
    if (holdWrites) return new Promise<void>((resolve) => pendingCommits.push(resolve));
  });
  hub.subscribe('committed', (batch) => {
    announced.push(textsOf(batch));
  });
  const config = loadConfig({ JETSTREAM_URL: 'ws://127.0.0.1:9/subscribe', LOG_LEVEL: 'silent' });
  const scorer = createDefaultScorer(config);
  const pipeline: IngestPipeline = createIngestPipeline({
    queue,
    hub,
    scorer: {
      score(text, langs) {
        scored.push(text);
        return scorer.score(text, langs);
      },
    },
    maxTextLength: 1000,
    batchMaxEvents,
    batchMaxWaitMs: WAIT_MS,
    retryBackoff: createBackoff({ minMs: 1, maxMs: 1 }),
    onTaken: () => {},
    onCommitted: () => {},
    logger: silentLogger(),
    now: () => time,
    timers: {
      setTimeout: (callback, ms) => {
        const timer = { at: time + ms, callback, cleared: false };
        timers.push(timer);
        return timer;
      },
      clearTimeout: (handle) => {
        clearCalls += 1;
        (handle as { cleared: boolean }).cleared = true;
      },
    },
  });
  void pipeline.run();
  let sequence = 0;
  return {
    batches,
    announced,
    scored,
    /** Commits the oldest held batch. */
    async commitNext() {
      pendingCommits.shift()?.();
      await settle();
    },
    pendingTimers: () => timers.filter((timer) => !timer.cleared && timer.at > time).length,
    /** Calls of clearTimeout so far. */
    clearCalls: () => clearCalls,
    push(text: string) {
      sequence += 1;
      queue.push(
        decodeEvent({
          did: 'did:plc:batcher',
          time_us: 1_700_000_000_000_000 + sequence,
          kind: 'commit',
          commit: { operation: 'create', collection: 'app.bsky.feed.post', rkey: `r${sequence}`, cid: 'c', record: { text, langs: ['en'] } },
        }),
      );
    },
    /** Moves the clock forward, firing the timers that come due. */
    async advance(ms: number) {
      time += ms;
      for (const timer of timers) {
        if (!timer.cleared && timer.at <= time) {
          timer.cleared = true;
          timer.callback();
        }
      }
      await settle();
    },
    stop: () => pipeline.stop(),
  };
}

/** Lets the batcher run everything it can without the clock moving. */
async function settle() {
  for (let round = 0; round < 20; round++) await nextTurn();
}

const batcher = suite('ingest batcher');

batcher('takes an event at once after a quiet spell', async () => {
  const run = startBatcher();
  run.push('first');
  await settle();
  assert.equal(run.batches, [['first']], 'the first event is published without waiting');
  await run.advance(WAIT_MS * 5);
  run.push('after a pause');
  await settle();
  assert.equal(run.batches, [['first'], ['after a pause']], 'an event after a pause is published without waiting too');
  await run.stop();
});

batcher('gathers events that follow closely into one batch', async () => {
  const run = startBatcher();
  run.push('a');
  await settle();
  await run.advance(1);
  run.push('b');
  await settle();
  run.push('c');
  await settle();
  assert.equal(run.batches, [['a']], 'b and c wait while the previous batch is recent');
  assert.is(run.pendingTimers(), 1, 'one wait is pending');
  await run.advance(WAIT_MS);
  assert.equal(run.batches, [['a'], ['b', 'c']], 'b and c leave together once the wait is over');
  await run.stop();
});

batcher('finished waits are not kept', async () => {
  const run = startBatcher();
  for (let round = 0; round < 50; round++) {
    run.push(`first ${round}`);
    await settle();
    await run.advance(1);
    run.push(`second ${round}`);
    await settle();
    // The second event waits for the batch interval and leaves alone. A quiet spell follows.
    await run.advance(WAIT_MS);
    await run.advance(WAIT_MS * 5);
  }
  assert.is(run.batches.length, 100, 'every event left in its own batch, the second of each pair after a wait');
  assert.is(run.pendingTimers(), 0, 'no wait is in progress');
  const before = run.clearCalls();
  await run.stop();
  // A finished wait still remembered would be cancelled again here, and stay in memory until then.
  assert.is(run.clearCalls() - before, 0, 'stop found no finished wait to cancel');
});

batcher('a full batch never waits', async () => {
  const run = startBatcher(2);
  run.push('a');
  await settle();
  run.push('b');
  run.push('c');
  await settle();
  assert.equal(run.batches, [['a'], ['b', 'c']], 'two queued events fill a batch and go at once');
  await run.stop();
});

batcher('scores the next batch while one is stored', async () => {
  const run = startBatcher(2, true);
  run.push('a');
  run.push('b');
  await settle();
  run.push('c');
  run.push('d');
  await settle();
  assert.equal(run.batches, [['a', 'b']], 'only the first batch is handed to the store');
  assert.equal(run.scored, ['a', 'b', 'c', 'd'], 'the second batch is scored while the first is stored');
  assert.equal(run.announced, [], 'nothing is announced before its commit');

  await run.commitNext();
  assert.equal(run.batches, [['a', 'b'], ['c', 'd']], 'the second batch goes to the store once the first is committed');
  assert.equal(run.announced, [['a', 'b']], 'the first batch is announced after its commit');

  await run.commitNext();
  assert.equal(run.announced, [['a', 'b'], ['c', 'd']], 'announcements keep the order of the batches');
  await run.stop();
});

batcher('stop waits for the batch being stored', async () => {
  const run = startBatcher(2, true);
  run.push('a');
  await settle();
  let stopped = false;
  const stopping = run.stop().then(() => (stopped = true));
  await settle();
  assert.is(stopped, false, 'stop is still waiting while the batch is uncommitted');
  await run.commitNext();
  await stopping;
  assert.equal(run.announced, [['a']], 'the batch was committed and announced before stop resolved');
});

batcher.run();
