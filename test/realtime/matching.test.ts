import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Post } from '../../src/hub/events.ts';
import { PostMatcher } from '../../src/realtime/post-matcher.ts';
import { RoomStream } from '../../src/realtime/room-stream.ts';
import { RoomDirectory } from '../../src/realtime/room-directory.ts';
import { FEED_ALL_ROOM, feedRoom, parseFeedRoom, parseTrackRoom, trackRoom, validateFeedFilter, validateTrackRequest } from '../../src/realtime/terms.ts';
import { eventNameOf } from '../../src/realtime/packet-event.ts';
import { makePost } from './helpers.ts';

const terms = suite('realtime terms');

terms('track requests become canonical terms', () => {
  const cases: Array<[unknown, string]> = [
    [{ kind: 'keyword', value: '  Climate   Change ' }, 'keyword:climate change'],
    [{ kind: 'hashtag', value: '##Art' }, 'hashtag:art'],
    [{ kind: 'hashtag', value: 'über_cool' }, 'hashtag:über_cool'],
    [{ kind: 'language', value: 'PT-br' }, 'language:pt'],
    [{ kind: 'language', value: 'und' }, 'language:und'],
  ];
  for (const [request, term] of cases) {
    const result = validateTrackRequest(request);
    assert.ok(result.ok, `${JSON.stringify(request)} is valid`);
    if (result.ok) assert.is(result.value.term, term, `${JSON.stringify(request)} → ${term}`);
  }
});

terms('room names round-trip and reject forgeries', () => {
  const filter = validateFeedFilter({ labels: ['negative', 'positive'], languages: ['ja', 'en'] });
  assert.ok(filter.ok, 'filter valid');
  if (!filter.ok) return;
  const room = feedRoom(filter.value);
  assert.is(room, 'feed:labels=positive,negative;langs=en,ja', 'canonical feed room');
  assert.equal(parseFeedRoom(room), filter.value, 'feed room parses back');
  assert.equal(parseFeedRoom(FEED_ALL_ROOM), { labels: [], languages: [] }, 'feed:all is no filter');
  assert.equal(parseTrackRoom(trackRoom('keyword:climate change'))?.value, 'climate change', 'track room parses back');

  for (const forged of ['feed:labels=happy', 'feed:langs=EN', 'feed:labels=negative,positive', 'feed:x=1', 'feed:']) {
    assert.is(parseFeedRoom(forged), null, `${forged} is not a feed room`);
  }
  for (const forged of ['track:keyword:', 'track:keyword:UPPER', 'track:colour:red', 'track:nocolon', 'feed:all']) {
    assert.is(parseTrackRoom(forged), null, `${forged} is not a track room`);
  }
});

terms.run();

// ---

const matcher = suite('realtime post matcher');

function roomsOf(rooms: string[], text: string, options: Parameters<typeof makePost>[1] = {}) {
  return new PostMatcher(rooms).match(makePost(text, options));
}

matcher('keywords match whole words only', () => {
  const rooms = [trackRoom('keyword:art'), trackRoom('keyword:new york')];
  assert.equal(roomsOf(rooms, 'Modern ART today').tracked, ['track:keyword:art'], 'case-insensitive word');
  assert.equal(roomsOf(rooms, 'a party for the artist').tracked, [], 'not inside other words');
  assert.equal(roomsOf(rooms, 'art, again: art!').tracked, ['track:keyword:art'], 'one room per post');
  assert.equal(roomsOf(rooms, 'Back in New-York.').tracked, ['track:keyword:new york'], 'phrase across punctuation');
  assert.equal(roomsOf(rooms, 'new things in york').tracked, [], 'phrase words must be adjacent');
});

matcher('hashtags need the hash sign', () => {
  const rooms = [trackRoom('hashtag:art')];
  assert.equal(roomsOf(rooms, '#art').tracked, ['track:hashtag:art'], 'at the start');
  assert.equal(roomsOf(rooms, 'look (#Art)').tracked, ['track:hashtag:art'], 'after punctuation');
  assert.equal(roomsOf(rooms, 'just art').tracked, [], 'the plain word is not the hashtag');
  assert.equal(roomsOf(rooms, 'a#art &#art #artist').tracked, [], 'not inside words, entities or longer tags');
});

matcher('languages and feed filters', () => {
  const rooms = [FEED_ALL_ROOM, 'feed:labels=negative', 'feed:langs=und', trackRoom('language:ja')];
  assert.equal(roomsOf(rooms, 'x', { langs: ['ja-JP'], label: 'negative' }), { feed: [FEED_ALL_ROOM, 'feed:labels=negative'], tracked: ['track:language:ja'] }, 'ja negative');
  assert.equal(roomsOf(rooms, 'x', { langs: [], label: 'positive' }), { feed: [FEED_ALL_ROOM, 'feed:langs=und'], tracked: [] }, 'no language is und');
  assert.ok(new PostMatcher(['socketid123', 'status:slow']).empty, 'other rooms are ignored');
});

matcher.run();

// ---

const stream = suite('realtime room stream');

stream('sends everything while under the cap, in order', () => {
  const room = new RoomStream<Post>(100, 0);
  const posts = Array.from({ length: 10 }, (_, index) => makePost(`p${index}`));
  posts.forEach((post, index) => room.offer(post, index));
  const batch = room.take(50);
  assert.equal(batch?.posts.map((post) => post.text), posts.map((post) => post.text), 'all posts in order');
  assert.is(batch?.total, 10, 'total');
  assert.is(room.take(100), null, 'nothing left');
  assert.is(room.readyAt(100), null, 'nothing waits, so no send is needed');
});

stream('samples evenly above the cap and refills over time', () => {
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const room = new RoomStream<Post>(10, 0, random);
  const posts = Array.from({ length: 1000 }, (_, index) => makePost(String(index)));
  posts.forEach((post, index) => room.offer(post, index));

  const first = room.take(0)!;
  assert.is(first.posts.length, 10, 'one second of tokens');
  assert.is(first.total, 1000, 'total counts every match');
  const indexes = first.posts.map((post) => Number(post.text));
  assert.equal([...indexes].sort((a, b) => a - b), indexes, 'sample keeps arrival order');
  assert.ok(indexes[indexes.length - 1]! - indexes[0]! > 500, `sample spreads over the batch (${indexes.join(',')})`);

  room.offer(makePost('late'), 1000);
  assert.is(room.take(50), null, 'no token 50 ms later: the post waits');
  assert.is(room.pending, 1, 'the post is still pending');
  assert.is(room.readyAt(50), 100, 'half a token at 50 ms: ready when the other half arrives, 50 ms later');
  const later = room.take(200);
  assert.equal(later?.posts.map((post) => post.text), ['late'], 'sent once a token is back');
});

stream.run();

// ---

const directory = suite('realtime room directory');

directory('keeps an emptied local room for the linger time', () => {
  let clock = 0;
  const rooms = new RoomDirectory(1000, () => clock);
  rooms.addLocal('feed:all');
  rooms.addLocal('Xy12socketid');
  assert.equal([...rooms.rooms()], ['feed:all'], 'only content rooms');
  const version = rooms.version;
  rooms.removeLocal('feed:all');
  assert.equal([...rooms.rooms()], ['feed:all'], 'still there right after the last member left');
  assert.is(rooms.version, version, 'no change yet');
  clock = 1001;
  assert.equal([...rooms.rooms()], [], 'gone after the linger time');
  assert.ok(rooms.version > version, 'change noticed');
});

directory('merges and expires remote rooms', () => {
  const rooms = new RoomDirectory(1000, () => 0);
  rooms.setRemote('peer', ['track:keyword:x', 'not-a-room'], 100);
  assert.equal([...rooms.rooms()], ['track:keyword:x'], 'remote content rooms');
  rooms.expire(50);
  assert.is(rooms.rooms().size, 1, 'fresh peer kept');
  rooms.expire(101);
  assert.is(rooms.rooms().size, 0, 'silent peer forgotten');
});

directory.run();

// ---

const packets = suite('realtime packet event names');

packets('reads the event name of encoded packets', () => {
  assert.is(eventNameOf('2["posts",{"posts":[]}]'), 'posts', 'event');
  assert.is(eventNameOf('2["stats",{}, "offset"]'), 'stats', 'event with offset');
  assert.is(eventNameOf('312[{"ok":true}]'), 'ack', 'ack');
  assert.is(eventNameOf('0{"sid":"x"}'), 'connect', 'connect');
  assert.is(eventNameOf(Buffer.from('x')), 'binary', 'binary');
});

packets.run();
