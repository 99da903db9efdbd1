/**
 * The scoring-only loop of the catch-up scenario: decodes every event of a capture from memory
 * (JSON parse and validation, as the consumer does) and scores each post with the service's
 * scorer, with no socket, store or broadcast. Prints one JSON line: post creates per second of
 * each measured pass.
 *
 * Usage: scoring-loop.ts FILE EVENTS PASSES
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config/load.ts';
import { createDefaultScorer } from '../../src/firehose/default-scorer.ts';
import { toEffect } from '../../src/firehose/effects.ts';
import { decodeFrame } from '../../src/firehose/frame-decoder.ts';

const [file, eventsText, passesText] = process.argv.slice(2);
if (!file || !eventsText || !passesText) {
  process.stderr.write('Usage: scoring-loop.ts FILE EVENTS PASSES\n');
  process.exit(2);
}

const config = loadConfig({});
const scorer = createDefaultScorer(config);
const decodeOptions = { maxMessageBytes: config.MAX_MESSAGE_BYTES, decompress: null };
const frames = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .slice(0, Number(eventsText))
  .map((line) => Buffer.from(line, 'utf8'));

/** Runs one pass and returns [post creates, elapsed ms]; the checksum keeps the work from being optimised away. */
function pass(): [number, number, number] {
  const started = performance.now();
  let creates = 0;
  let checksum = 0;
  for (const frame of frames) {
    const event = decodeFrame(frame, false, decodeOptions);
    const effect = toEffect(event, scorer, config.MAX_TEXT_LENGTH);
    if (effect?.kind !== 'upsert') continue;
    if (effect.operation === 'create') creates++;
    checksum += effect.post.sentiment.compound;
  }
  return [creates, performance.now() - started, checksum];
}

pass();
const postsPerSecond: number[] = [];
let creates = 0;
for (let index = 0; index < Number(passesText); index++) {
  const [count, elapsedMs] = pass();
  creates = count;
  postsPerSecond.push(count / (elapsedMs / 1000));
  process.stderr.write(`pass ${index + 1}: ${Math.round(postsPerSecond.at(-1)!)} posts/s\n`);
}
process.stdout.write(`${JSON.stringify({ creates, postsPerSecond })}\n`);
