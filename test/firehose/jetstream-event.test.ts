import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { decodeEvent, type DecodedEvent } from '../../src/firehose/jetstream-event.ts';
import { decodeFrame } from '../../src/firehose/frame-decoder.ts';
import { cutText, toEffect } from '../../src/firehose/effects.ts';
import { createScorer } from '../../src/sentiment/index.ts';
import { sharedDataPath, skipWithoutSharedData } from '../support/shared-data.ts';
import { accountEvent, deleteEvent, identityEvent, postEvent } from '../support/jetstream-fixtures.ts';

const DID = 'did:plc:placeholder0000000000001';
const TIME = 1735689600000001;
const frameOptions = { maxMessageBytes: 4 * 1024 * 1024, decompress: null };

const decode = (line: string): DecodedEvent => decodeFrame(Buffer.from(line), false, frameOptions);

// ---

const shapes = suite('jetstream event decoding');

shapes('post create keeps validated fields', () => {
  const event = decode(postEvent(DID, '3kabc', TIME, { text: 'hello', langs: ['en', 'pt-BR', 5, 'not a tag!'], reply: true, embedType: 'app.bsky.embed.record' }));
  assert.is(event.type, 'post-upsert', 'event type');
  if (event.type !== 'post-upsert') return;
  assert.is(event.operation, 'create', 'operation');
  assert.is(event.text, 'hello', 'text');
  assert.equal(event.langs, ['en', 'pt-BR'], 'only well-formed language tags are kept');
  assert.is(event.createdAt, '2025-01-01T00:00:00.000Z', 'createdAt');
  assert.ok(event.isReply, 'reply detected');
  assert.ok(event.isQuote, 'quote embed detected');
});

shapes('quote with media counts as quote, images do not', () => {
  const quote = decode(postEvent(DID, '3kabc', TIME, { text: 'x', embedType: 'app.bsky.embed.recordWithMedia' }));
  const images = decode(postEvent(DID, '3kabc', TIME, { text: 'x', embedType: 'app.bsky.embed.images' }));
  assert.is(quote.type, 'post-upsert', 'recordWithMedia post decodes as an upsert');
  assert.ok(quote.type === 'post-upsert' && quote.isQuote, 'recordWithMedia is a quote');
  assert.is(images.type, 'post-upsert', 'images post decodes as an upsert');
  assert.ok(images.type === 'post-upsert' && !images.isQuote, 'images embed is not a quote');
});

shapes('missing langs become an empty list', () => {
  const event = decode(postEvent(DID, '3kabc', TIME, { text: '' }));
  assert.ok(event.type === 'post-upsert', 'empty text is still a post');
  if (event.type === 'post-upsert') assert.equal(event.langs, [], 'langs');
});

shapes('update, delete and account removal', () => {
  assert.is(decode(postEvent(DID, '3kabc', TIME, { text: 'x' }, 'update')).type, 'post-upsert', 'update is an upsert');
  assert.equal(decode(deleteEvent(DID, '3kabc', TIME)), { type: 'post-delete', did: DID, rkey: '3kabc', timeUs: TIME }, 'delete');
  assert.equal(decode(accountEvent(DID, TIME, 'deleted')), { type: 'account-removed', did: DID, status: 'deleted', timeUs: TIME }, 'deleted account');
  assert.is(decode(accountEvent(DID, TIME, 'takendown')).type, 'account-removed', 'taken-down account');
});

const ignored: Array<[string, string, string]> = [
  ['identity event', identityEvent(DID, TIME), 'identity'],
  ['active account', accountEvent(DID, TIME), 'account-status'],
  ['deactivated account', accountEvent(DID, TIME, 'deactivated'), 'account-status'],
  ['like', JSON.stringify({ did: DID, time_us: TIME, kind: 'commit', commit: { operation: 'create', collection: 'app.bsky.feed.like', rkey: '3k' } }), 'other-collection'],
  ['old format without kind', JSON.stringify({ did: DID, time_us: TIME, type: 'com', commit: { type: 'c', collection: 'app.bsky.feed.post', rkey: '3k' } }), 'unknown-kind'],
  ['future kind', JSON.stringify({ did: DID, time_us: TIME, kind: 'sync' }), 'unknown-kind'],
  ['unknown operation', JSON.stringify({ did: DID, time_us: TIME, kind: 'commit', commit: { operation: 'archive', collection: 'app.bsky.feed.post', rkey: '3k' } }), 'unknown-operation'],
];
for (const [name, line, reason] of ignored) {
  shapes(`ignores ${name}`, () => {
    assert.equal(decode(line), { type: 'ignored', reason, timeUs: TIME }, `${name} is ignored as ${reason} and keeps its time_us`);
  });
}

const dropped: Array<[string, string, string, number | null]> = [
  ['broken JSON', '{"did":', 'malformed-json', null],
  ['array', '[1,2]', 'invalid-envelope', null],
  ['string time_us', JSON.stringify({ did: DID, time_us: '1', kind: 'commit' }), 'invalid-envelope', null],
  ['numeric did', JSON.stringify({ did: 7, time_us: TIME, kind: 'commit' }), 'invalid-envelope', TIME],
  ['commit not an object', JSON.stringify({ did: DID, time_us: TIME, kind: 'commit', commit: 'x' }), 'invalid-commit', TIME],
  ['bad record key', JSON.stringify({ did: DID, time_us: TIME, kind: 'commit', commit: { operation: 'create', collection: 'app.bsky.feed.post', rkey: '../x', record: { text: 'a' } } }), 'invalid-commit', TIME],
  ['record missing', JSON.stringify({ did: DID, time_us: TIME, kind: 'commit', commit: { operation: 'create', collection: 'app.bsky.feed.post', rkey: '3k' } }), 'invalid-record', TIME],
  ['text missing', postEvent(DID, '3k', TIME, {}), 'missing-text', TIME],
  ['numeric text', postEvent(DID, '3k', TIME, { text: 12 }), 'invalid-text', TIME],
  ['account without object', JSON.stringify({ did: DID, time_us: TIME, kind: 'account' }), 'invalid-account', TIME],
];
for (const [name, line, reason, timeUs] of dropped) {
  shapes(`drops ${name}`, () => {
    const event = decode(line);
    assert.is(event.type, 'dropped', `${name} is dropped`);
    if (event.type !== 'dropped') return;
    assert.is(event.reason, reason, `${name} reason`);
    assert.is(event.timeUs, timeUs, `${name} keeps the time_us it had`);
  });
}

shapes('binary frame without compression is dropped', () => {
  const event = decodeFrame(Buffer.from([1, 2, 3, 250]), true, frameOptions);
  assert.equal(event, { type: 'dropped', reason: 'binary-frame', timeUs: null }, 'binary frame');
});

shapes('oversized frame keeps its ids', () => {
  const line = postEvent(DID, '3kbig', TIME, { text: 'bad good '.repeat(2000) });
  const event = decodeFrame(Buffer.from(line), false, { maxMessageBytes: 1024, decompress: null });
  assert.equal(event, { type: 'dropped', reason: 'oversized', timeUs: TIME, did: DID }, 'oversized drop with did and time_us');
});

shapes('undecodable compressed frame is dropped', () => {
  const failing = () => {
    throw new Error('bad frame');
  };
  const event = decodeFrame(Buffer.from([1, 2]), true, { maxMessageBytes: 1024, decompress: failing });
  assert.is(event.type === 'dropped' && event.reason, 'decompress-failed', 'reason');
});

shapes('decodeEvent never throws on odd values', () => {
  for (const value of [null, 1, 'x', [], {}, { did: DID, time_us: TIME, kind: 'commit', commit: null }, { did: DID, time_us: -5 }, { did: DID, time_us: 1.5 }]) {
    assert.is(decodeEvent(value).type, 'dropped', `${JSON.stringify(value)} is dropped`);
  }
});

// ---

const effects = suite('effects');

effects('cutText keeps surrogate pairs whole', () => {
  assert.is(cutText('abcdef', 4), 'abcd', 'plain cut');
  assert.is(cutText('ab😀cd', 3), 'ab', 'a cut inside an emoji drops the whole emoji');
  assert.is(cutText('short', 10), 'short', 'short text unchanged');
});

effects('post effect has URI, ISO time and cut text', () => {
  const scorer = createScorer();
  const event = decode(postEvent(DID, '3kabc', TIME, { text: `I love it ${'x'.repeat(500)}`, langs: ['en'] }));
  const effect = toEffect(event, scorer, 120);
  assert.ok(effect, 'post event yields an effect');
  assert.is(effect?.kind, 'upsert', 'effect is an upsert');
  if (!effect || effect.kind !== 'upsert') return;
  assert.is(effect.post.uri, `at://${DID}/app.bsky.feed.post/3kabc`, 'AT-URI');
  assert.is(effect.post.indexedAt, '2025-01-01T00:00:00.000Z', 'indexedAt from time_us');
  assert.is(effect.post.text.length, 120, 'text cut to the maximum length');
  assert.is(effect.post.timeUs, TIME, 'timeUs');
  assert.is(effect.post.sentiment.label, 'positive', 'scored after cutting');
});

// ---

const sample = suite('real sample events');

sample('every event of the sample parses', () => {
  if (skipWithoutSharedData('jetstream-sample.ndjson')) return;
  const lines = readFileSync(sharedDataPath('jetstream-sample.ndjson')!, 'utf8').split('\n').filter((line) => line !== '');
  const decoded = lines.map(decode);
  const byType = (type: string) => decoded.filter((event) => event.type === type);

  assert.is(lines.length, 162, 'sample size');
  assert.is(byType('dropped').length, 0, `no sample event is dropped: ${JSON.stringify(byType('dropped'))}`);
  const posts = decoded.filter((event) => event.type === 'post-upsert');
  const creates = posts.filter((event) => event.type === 'post-upsert' && event.operation === 'create');
  assert.is(creates.length, 18, 'post creates');
  assert.is(byType('post-delete').length, 1, 'post deletes');
  const ignoredReasons = byType('ignored').map((event) => (event as { reason: string }).reason);
  assert.is(ignoredReasons.filter((reason) => reason === 'identity').length, 2, 'identity events');
  assert.is(ignoredReasons.filter((reason) => reason === 'account-status').length, 2, 'account events without removal');
  assert.is(ignoredReasons.filter((reason) => reason === 'other-collection').length, 162 - 18 - 1 - 4, 'other collections');

  const upserts = posts as Array<Extract<DecodedEvent, { type: 'post-upsert' }>>;
  assert.is(upserts.filter((post) => post.isReply).length, 9, 'replies');
  assert.is(upserts.filter((post) => post.langs.length === 0).length, 1, 'post without langs');
  assert.is(upserts.filter((post) => post.text === '').length, 1, 'post with empty text');
  assert.ok(upserts.some((post) => post.langs.includes('en-US')), 'region subtag kept');
  assert.ok(upserts.every((post) => post.createdAt !== null), 'every post has createdAt');
  for (const event of decoded) assert.ok(event.timeUs !== null && event.timeUs > 1.7e15, 'every event keeps its time_us');
});

shapes.run();
effects.run();
sample.run();
