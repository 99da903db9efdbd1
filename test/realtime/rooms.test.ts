import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TrackedBatchMessage } from '../../src/realtime/protocol.ts';
import {
  collectPosts,
  connect,
  createBatch,
  makePost,
  request,
  sleep,
  startRealtimeServer,
  waitUntil,
  type RealtimeServer,
  type TestClient,
} from './helpers.ts';

const rooms = suite<{ server?: RealtimeServer; clients: TestClient[] }>('realtime rooms', { clients: [] });

rooms.before.each(async (context) => {
  context.server = await startRealtimeServer({ CLIENT_MAX_POSTS_PER_SECOND: 10_000, MAX_ROOMS_PER_CLIENT: 3, BROADCAST_TICK_MS: 20 });
});

rooms.after.each(async (context) => {
  for (const client of context.clients) client.close();
  context.clients = [];
  await context.server?.close();
  context.server = undefined;
});

function collectTracked(client: TestClient): TrackedBatchMessage[] {
  const messages: TrackedBatchMessage[] = [];
  client.on('tracked', (message) => messages.push(message));
  return messages;
}

rooms('keyword tracking gets only matching posts', async (context) => {
  const server = context.server!;
  const tracker = await connect(server.url);
  const other = await connect(server.url);
  context.clients.push(tracker, other);
  const tracked = collectTracked(tracker);
  const otherTracked = collectTracked(other);

  const ack = await request(tracker, 'track', { kind: 'keyword', value: '  Climate  Change ' });
  assert.equal(ack, { ok: true, term: 'keyword:climate change' }, 'track ack carries the canonical term');

  const matching = [
    makePost('Climate change is real.'),
    makePost('CLIMATE-CHANGE summit today'),
    makePost('talking about climate change, again'),
  ];
  const notMatching = [makePost('Climate is nice, change is good'), makePost('climatechange without a space'), makePost('nothing here')];
  await server.hub.publish('committed', createBatch([matching[0]!, notMatching[0]!, matching[1]!, notMatching[1]!, notMatching[2]!, matching[2]!]));
  await waitUntil(() => tracked.flatMap((message) => message.posts).length >= 3, 3000, 'three tracked posts');
  await sleep(100);

  const uris = tracked.flatMap((message) => message.posts.map((post) => post.uri));
  assert.equal(uris, matching.map((post) => post.uri), 'exactly the matching posts, in order');
  assert.ok(tracked.every((message) => message.term === 'keyword:climate change'), 'messages name the term');
  assert.is(otherTracked.length, 0, 'a client that tracks nothing gets no tracked messages');
});

rooms('hashtag and language tracking match', async (context) => {
  const server = context.server!;
  const client = await connect(server.url);
  context.clients.push(client);
  const tracked = collectTracked(client);
  assert.equal(await request(client, 'track', { kind: 'hashtag', value: '#Art' }), { ok: true, term: 'hashtag:art' }, 'hashtag ack');
  assert.equal(await request(client, 'track', { kind: 'language', value: 'pt-BR' }), { ok: true, term: 'language:pt' }, 'language ack');
  assert.equal(await request(client, 'track', { kind: 'keyword', value: '地震' }), { ok: true, term: 'keyword:地震' }, 'unspaced keyword ack');

  const art = makePost('new piece #ART today');
  const notArt = makePost('art#nohashtag and #artist');
  const portuguese = makePost('bom dia', { langs: ['pt-BR'] });
  const japanese = makePost('大きな地震がありました', { langs: ['ja'] });
  await server.hub.publish('committed', createBatch([art, notArt, portuguese, japanese]));
  await waitUntil(() => tracked.length >= 3, 3000, 'three tracked messages');
  await sleep(100);

  const byTerm = (term: string) => tracked.filter((message) => message.term === term).flatMap((message) => message.posts.map((post) => post.uri));
  assert.equal(byTerm('hashtag:art'), [art.uri], 'hashtag matches #ART only');
  assert.equal(byTerm('language:pt'), [portuguese.uri], 'language matches pt-BR');
  assert.equal(byTerm('keyword:地震'), [japanese.uri], 'keyword in an unspaced script matches inside a word');
});

rooms('untrack stops tracked posts', async (context) => {
  const server = context.server!;
  const client = await connect(server.url);
  context.clients.push(client);
  const tracked = collectTracked(client);
  await request(client, 'track', { kind: 'keyword', value: 'rain' });
  await server.hub.publish('committed', createBatch([makePost('rain again')]));
  await waitUntil(() => tracked.length === 1, 3000, 'first tracked message');

  assert.equal(await request(client, 'untrack', { kind: 'keyword', value: 'RAIN' }), { ok: true, term: 'keyword:rain' }, 'untrack ack');
  await server.hub.publish('committed', createBatch([makePost('more rain')]));
  await sleep(300);
  assert.is(tracked.length, 1, 'no tracked message after untrack');
  const again = await request(client, 'untrack', { kind: 'keyword', value: 'rain' });
  assert.is(again.ok, false, 'untracking an untracked term is an error');
});

rooms('track limit per client', async (context) => {
  const server = context.server!;
  const client = await connect(server.url);
  context.clients.push(client);
  for (const value of ['a1', 'b2', 'c3']) assert.is((await request(client, 'track', { kind: 'keyword', value })).ok, true, `track ${value}`);
  assert.is((await request(client, 'track', { kind: 'keyword', value: 'a1' })).ok, true, 'tracking a term again is accepted');
  const fourth = await request(client, 'track', { kind: 'keyword', value: 'd4' });
  assert.is(fourth.ok, false, 'a fourth term is rejected');
  assert.match(String(fourth.error), /at most 3/, 'the error names the limit');
});

rooms('feed filter keeps labels and languages', async (context) => {
  const server = context.server!;
  const client = await connect(server.url);
  context.clients.push(client);
  const received = collectPosts(client);
  const ack = await request(client, 'filter', { labels: ['positive', 'negative', 'negative'], languages: ['EN', 'ja-JP'] });
  assert.equal(ack, { ok: true, filter: { labels: ['positive', 'negative'], languages: ['en', 'ja'] } }, 'filter ack is canonical');

  const kept = [makePost('great', { label: 'positive' }), makePost('悪い', { label: 'negative', langs: ['ja'] })];
  const dropped = [makePost('meh', { label: 'neutral' }), makePost('bueno', { label: 'positive', langs: ['es'] })];
  await server.hub.publish('committed', createBatch([dropped[0]!, kept[0]!, dropped[1]!, kept[1]!]));
  await waitUntil(() => received.uris.length >= 2, 3000, 'two filtered posts');
  await sleep(100);
  assert.equal(received.uris, kept.map((post) => post.uri), 'only positive or negative posts in en or ja');

  assert.equal(await request(client, 'filter', {}), { ok: true, filter: { labels: [], languages: [] } }, 'empty filter means all');
  const neutral = makePost('plain', { label: 'neutral', langs: [] });
  await server.hub.publish('committed', createBatch([neutral]));
  await waitUntil(() => received.uris.includes(neutral.uri), 3000, 'the unfiltered post');
});

rooms('invalid payloads get error acks and the server keeps serving', async (context) => {
  const server = context.server!;
  const client = await connect(server.url);
  context.clients.push(client);
  const cases: Array<[string, unknown]> = [
    ['track', null],
    ['track', 'climate'],
    ['track', 42],
    ['track', []],
    ['track', { kind: 'keyword' }],
    ['track', { kind: 'person', value: 'x' }],
    ['track', { kind: 'keyword', value: 7 }],
    ['track', { kind: 'keyword', value: '' }],
    ['track', { kind: 'keyword', value: '   ' }],
    ['track', { kind: 'keyword', value: '!!!' }],
    ['track', { kind: 'keyword', value: 'x'.repeat(65) }],
    ['track', { kind: 'keyword', value: 'y'.repeat(10_000) }],
    ['track', { kind: 'keyword', value: 'bad\u0000byte' }],
    ['track', { kind: 'hashtag', value: 'two words' }],
    ['track', { kind: 'language', value: 'english' }],
    ['untrack', { kind: 'language', value: 'x' }],
    ['filter', null],
    ['filter', { labels: 'positive' }],
    ['filter', { labels: ['happy'] }],
    ['filter', { languages: [1] }],
    ['filter', { languages: Array.from({ length: 11 }, (_, index) => `l${String.fromCharCode(97 + index)}`) }],
  ];
  for (const [event, payload] of cases) {
    const ack = await request(client, event as 'track', payload);
    assert.is(ack.ok, false, `${event} ${JSON.stringify(payload)?.slice(0, 60)} is rejected`);
    assert.type(ack.error, 'string', `${event} error is a message`);
  }

  // Requests without an acknowledgement function, and unknown events, are ignored safely.
  (client.emit as (...args: unknown[]) => void)('track', { kind: 'keyword', value: 'noack' });
  (client.emit as (...args: unknown[]) => void)('track');
  (client.emit as (...args: unknown[]) => void)('no-such-event', { a: 1 });

  const ack = await request(client, 'track', { kind: 'keyword', value: 'still' });
  assert.is(ack.ok, true, 'a valid request works after garbage');
  const tracked = collectTracked(client);
  await server.hub.publish('committed', createBatch([makePost('still working')]));
  await waitUntil(() => tracked.length === 1, 3000, 'a tracked post after garbage');
  assert.ok(client.connected, 'the client is still connected');
});

rooms('request flood is limited', async (context) => {
  const server = context.server!;
  const client = await connect(server.url);
  context.clients.push(client);
  const acks = await Promise.all(Array.from({ length: 60 }, () => request(client, 'filter', {})));
  const rejected = acks.filter((ack) => ack.ok === false);
  assert.ok(rejected.length > 0, `some of 60 instant requests are rejected (${rejected.length})`);
  assert.match(String(rejected[0]!.error), /too many requests/, 'the error says why');
});

rooms.run();
