import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBackoff } from '../../src/firehose/backoff.ts';
import { createIngestQueue } from '../../src/firehose/ingest-queue.ts';
import { buildSubscribeUrl } from '../../src/firehose/subscribe-url.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JETSTREAM_DICTIONARY_ID, loadZstdDecoder, runtimeDecodesZstdDictionaries } from '../../src/runtime/zstd.ts';
import { runtimeName } from '../../src/runtime/index.ts';

// ---

const backoff = suite('backoff');

backoff('grows exponentially up to the cap', () => {
  const delays = createBackoff({ minMs: 100, maxMs: 1000, random: () => 0.999999 });
  const values = Array.from({ length: 7 }, () => delays.next());
  assert.equal(values, [100, 200, 400, 800, 1000, 1000, 1000], 'ceilings double from the floor and stop at the cap');
});

backoff('full jitter stays between floor and ceiling', () => {
  let draw = 0;
  const randoms = [0, 0.5, 0.25, 0.75];
  const delays = createBackoff({ minMs: 100, maxMs: 60_000, random: () => randoms[draw++ % randoms.length]! });
  assert.is(delays.next(), 100, 'attempt 1 is the floor');
  assert.is(delays.next(), 150, 'attempt 2 halfway between 100 and 200');
  assert.is(delays.next(), 175, 'attempt 3 a quarter between 100 and 400');
  assert.is(delays.next(), 625, 'attempt 4 three quarters between 100 and 800');
});

backoff('reset starts again from the floor', () => {
  const delays = createBackoff({ minMs: 10, maxMs: 1000, random: () => 0.999999 });
  delays.next();
  delays.next();
  delays.next();
  assert.is(delays.attempts, 3, 'attempts counted');
  delays.reset();
  assert.is(delays.attempts, 0, 'attempts reset');
  assert.is(delays.next(), 10, 'first delay after reset is the floor');
});

backoff('rejects inverted bounds', () => {
  assert.throws(() => createBackoff({ minMs: 10, maxMs: 5 }), /minMs=10, maxMs=5/, 'message names both bounds');
});

// ---

const url = suite('subscribe url');

url('first start without cursor tails live', () => {
  const built = new URL(buildSubscribeUrl('wss://jet.example/subscribe', { cursor: null, rewindSeconds: 3, maxMessageBytes: 1000, compress: false }));
  assert.is(built.searchParams.get('wantedCollections'), 'app.bsky.feed.post', 'wanted collection');
  assert.is(built.searchParams.get('cursor'), null, 'no cursor');
  assert.is(built.searchParams.get('maxMessageSizeBytes'), '1000', 'size limit passed upstream');
  assert.is(built.searchParams.get('compress'), null, 'no compression');
});

url('cursor is rewound and replaces an old one', () => {
  const built = new URL(
    buildSubscribeUrl('wss://jet.example/subscribe?cursor=5&wantedCollections=app.bsky.feed.*', { cursor: 1_735_689_600_000_000, rewindSeconds: 3, maxMessageBytes: 1000, compress: true }),
  );
  assert.is(built.searchParams.get('cursor'), '1735689597000000', 'three seconds earlier');
  assert.equal(built.searchParams.getAll('cursor').length, 1, 'one cursor');
  assert.is(built.searchParams.get('wantedCollections'), 'app.bsky.feed.*', 'configured collections kept');
  assert.is(built.searchParams.get('compress'), 'true', 'compression requested');
});

// ---

const queue = suite('ingest queue');

queue('reports the high-water mark and the low-water mark', () => {
  const items = createIngestQueue<number>(4, 1);
  assert.is(items.push(1), false, 'below high water');
  items.push(2);
  items.push(3);
  assert.is(items.push(4), true, 'at high water');
  assert.is(items.push(5), true, 'push still accepts above high water');
  assert.equal(items.take(3), [1, 2, 3], 'FIFO order');
  assert.is(items.belowLowWater, false, 'two left is above low water');
  assert.equal(items.take(10), [4, 5], 'rest');
  assert.is(items.belowLowWater, true, 'empty is below low water');
});

queue('waitForItems resolves on push and on cancel', async () => {
  const items = createIngestQueue<number>(10);
  const waiting = items.waitForItems();
  items.push(1);
  await waiting;
  items.take(1);
  const cancelled = items.waitForItems();
  items.cancel();
  await cancelled;
  assert.is(items.length, 0, 'cancel resolves without items');
});

// ---

const zstd = suite('zstd detection');

zstd('missing dictionary or runtime support is reported, not thrown', () => {
  const support = loadZstdDecoder('/nonexistent/zstd_dictionary');
  assert.is(support.available, false, 'not available');
  if (support.available) return;
  if (runtimeDecodesZstdDictionaries()) {
    assert.match(support.reason, 'cannot read ZSTD_DICTIONARY_PATH', 'a runtime with dictionary support reports the missing file');
  } else {
    assert.match(support.reason, 'node:zlib', `${runtimeName} reports what the runtime lacks`);
  }
});

zstd('a runtime without a decoder is detected', () => {
  assert.is(runtimeDecodesZstdDictionaries(null), false, 'no decoder');
  const ignoresDictionary = () => new Uint8Array([1]);
  assert.is(runtimeDecodesZstdDictionaries(ignoresDictionary), false, 'a decoder that ignores the dictionary fails the probe');
});

zstd('dictionary file checks', () => {
  const folder = mkdtempSync(join(tmpdir(), 'skypulse-zstd-'));
  try {
    // Stands in for a runtime whose decoder honours dictionaries: the probe dictionary ends
    // with the probe payload, so returning the dictionary from its first brace passes the probe.
    const honouring = (_frame: Uint8Array, options?: { dictionary?: Uint8Array }) => {
      if (!options?.dictionary) throw new Error('Dictionary mismatch');
      const bytes = Buffer.from(options.dictionary);
      return bytes.subarray(bytes.indexOf(0x7b));
    };
    const header = (id: number) => {
      const bytes = Buffer.alloc(64);
      bytes.set([0x37, 0xa4, 0x30, 0xec]);
      bytes.writeUInt32LE(id, 4);
      return bytes;
    };
    writeFileSync(join(folder, 'jetstream'), header(JETSTREAM_DICTIONARY_ID));
    writeFileSync(join(folder, 'other'), header(7));
    writeFileSync(join(folder, 'text'), 'not a dictionary at all');

    const good = loadZstdDecoder(join(folder, 'jetstream'), honouring);
    assert.ok(good.available, 'Jetstream dictionary accepted');
    const other = loadZstdDecoder(join(folder, 'other'), honouring);
    assert.not.ok(other.available, 'another dictionary is rejected');
    assert.ok(!other.available && other.reason.includes('dictionary id 7'), 'rejection names the other dictionary id');
    const text = loadZstdDecoder(join(folder, 'text'), honouring);
    assert.not.ok(text.available, 'a non-dictionary file is rejected');
    assert.ok(!text.available && text.reason.includes('not a zstd dictionary'), 'rejection says the file is not a dictionary');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

backoff.run();
url.run();
queue.run();
zstd.run();
