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
import type { HubEvents } from '../../src/hub/events.ts';
import { silentLogger } from '../../src/log/logger.ts';

const WAIT_MS = 10;

/** Starts a batcher on a manual clock, whose timers fire only when the test moves the clock. */
function startBatcher(batchMaxEvents = 100) {
  let time = 1000;
  const timers: { at: number; callback: () => void; cleared: boolean }[] = [];
  const queue = createIngestQueue<DecodedEvent>(1000);
  const hub = new Hub<HubEvents>();
  const batches: string[][] = [];
  hub.subscribe('batch', (batch) => {
    batches.push(batch.effects.map((effect) => (effect.kind === 'upsert' ? effect.post.text : effect.kind)));
  });
  const config = loadConfig({ JETSTREAM_URL: 'ws://127.0.0.1:9/subscribe', LOG_LEVEL: 'silent' });
  const pipeline: IngestPipeline = createIngestPipeline({
    queue,
    hub,
    scorer: createDefaultScorer(config),
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
        (handle as { cleared: boolean }).cleared = true;
      },
    },
  });
  void pipeline.run();
  let sequence = 0;
  return {
    batches,
    pendingTimers: () => timers.filter((timer) => !timer.cleared && timer.at > time).length,
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

batcher.run();
