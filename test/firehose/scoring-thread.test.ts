import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config/load.ts';
import type { Sentiment } from '../../src/hub/events.ts';
import { createDefaultScorer, scorerSettings } from '../../src/firehose/default-scorer.ts';
import { cutText, type PostScorer } from '../../src/firehose/effects.ts';
import type { DecodedEvent, PostUpsertEvent } from '../../src/firehose/jetstream-event.ts';
import { createScoringThread } from '../../src/firehose/scoring-thread.ts';
import { capturingLogger } from '../support/store-fixtures.ts';

const config = loadConfig({ JETSTREAM_URL: 'ws://127.0.0.1:9/subscribe', MAX_TEXT_LENGTH: '300' });
const settings = scorerSettings(config);

/** Marks every post scored in place, so a test can tell where a score came from. */
const MARKED: Sentiment = { neg: 0, neu: 0, pos: 0, compound: 42, label: 'unscored' };
const markingScorer: PostScorer = { score: () => ({ ...MARKED }) };

function upsert(text: string, langs: string[], rkey: string): PostUpsertEvent {
  return { type: 'post-upsert', operation: 'create', did: 'did:plc:scoring', rkey, timeUs: 1, text, langs, createdAt: null, isReply: false, isQuote: false };
}

// English with and without tags, other languages, blank text, and a text past MAX_TEXT_LENGTH
// whose cut turns "goodness" into "good": the scorer's own word-boundary cut would drop it.
const events: DecodedEvent[] = [
  upsert('What a wonderful, happy day!', ['en'], 'a'),
  upsert('This is terrible and I hate it.', [], 'b'),
  { type: 'post-delete', did: 'did:plc:scoring', rkey: 'x', timeUs: 2 },
  upsert('Das ist wunderbar', ['de'], 'c'),
  upsert('   ', ['en'], 'd'),
  upsert(`${'the '.repeat(74)}goodness`, ['en'], 'e'),
  upsert('not bad at all, not bad', ['en-GB'], 'f'),
];
const upserts = events.filter((event): event is PostUpsertEvent => event.type === 'post-upsert');

function scoresFrom(scorer: PostScorer): Sentiment[] {
  return upserts.map((event) => scorer.score(cutText(event.text, settings.MAX_TEXT_LENGTH), event.langs));
}

const threads = suite('firehose scoring thread');

threads('thread scores equal in-place scores', async () => {
  const { logger, lines } = capturingLogger();
  const scoring = createScoringThread({ settings, inline: markingScorer, logger, now: Date.now, minPosts: upserts.length });
  try {
    assert.ok(await scoring.started, 'the thread starts');
    const scorer = await scoring.prepare(events);
    const fromThread = scoresFrom(scorer);
    assert.equal(fromThread, scoresFrom(createDefaultScorer(settings)), 'same scores and labels, post by post, in order');
    assert.is(fromThread[4]!.label, 'positive', 'the long text was cut as the batch cuts it, leaving "good"');
    assert.not.ok(fromThread.some((sentiment) => sentiment.compound === MARKED.compound), 'no post was scored in place');
    assert.ok(lines.some((line) => line.msg === 'scoring thread started'), 'the start is logged');
  } finally {
    await scoring.close();
  }
});

threads('small batch scored in place', async () => {
  const { logger } = capturingLogger();
  const scoring = createScoringThread({ settings, inline: markingScorer, logger, now: Date.now, minPosts: upserts.length + 1 });
  try {
    assert.ok(await scoring.started, 'the thread starts');
    assert.is(await scoring.prepare(events), markingScorer, 'the in-place scorer answers a small batch');
  } finally {
    await scoring.close();
  }
});

threads('failed thread falls back in place', async () => {
  const { logger, lines } = capturingLogger();
  const scoring = createScoringThread({ settings, inline: markingScorer, logger, now: Date.now, minPosts: 1 });
  assert.ok(await scoring.started, 'the thread starts');
  await scoring.close();
  const first = await scoring.prepare(events);
  const second = await scoring.prepare(events);
  assert.is(first, markingScorer, 'the batch is scored in place instead of being lost');
  assert.is(second, markingScorer, 'later batches too');
  const errors = lines.filter((line) => line.msg === 'the scoring thread failed; scoring this batch on the main thread');
  assert.is(errors.length, 1, `the failure is logged once a minute, not per batch (${errors.length} lines)`);
});

threads.run();
