import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RecentUris } from '../../src/hub/recent-uris.ts';

const recent = suite('recent uris');

const uris = (count: number, from = 0) => Array.from({ length: count }, (_, index) => `at://did:plc:a/app.bsky.feed.post/${from + index}`);

recent('keeps the last limit URIs', () => {
  const memory = new RecentUris<number>(100);
  const seen = uris(1000);
  seen.forEach((uri, index) => {
    memory.add(uri, index);
    const remembered = Math.min(index + 1, 100);
    for (const recentUri of seen.slice(index + 1 - remembered, index + 1)) {
      if (!memory.has(recentUri)) assert.unreachable(`${recentUri} forgotten after ${index + 1} adds`);
    }
    if (memory.size >= 200) assert.unreachable(`size ${memory.size} after ${index + 1} adds, above twice the limit`);
  });
  assert.is(memory.get(seen[999]!), 999, 'the newest keeps its value');
  assert.not.ok(memory.has(seen[0]!), 'the oldest is forgotten');
  assert.is(memory.get(seen[0]!), undefined, 'a forgotten URI has no value');
});

recent('known URI keeps first value', () => {
  const memory = new RecentUris<string>(3);
  assert.ok(memory.add('at://a', 'first'), 'new URI');
  assert.not.ok(memory.add('at://a', 'second'), 'second delivery');
  assert.is(memory.get('at://a'), 'first');
  // Fill the newer generation so at://a moves to the older one; it must still be recognised.
  memory.add('at://b', 'b');
  memory.add('at://c', 'c');
  assert.not.ok(memory.add('at://a', 'third'), 'second delivery after a generation change');
  assert.is(memory.get('at://a'), 'first');
  assert.is(memory.size, 3);
});

recent('rejects a non-positive limit', () => {
  for (const limit of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => new RecentUris(limit), /positive integer/, `limit ${limit}`);
  }
});

recent.run();
