import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gunzipSync, gzipSync } from 'node:zlib';
import { startReplayServer, type ReplayServer } from '../../src/firehose/replay-server.ts';
import { accountEvent, did, identityEvent, postEvent, postSeries, rkey, toCapture } from '../support/jetstream-fixtures.ts';
import { startIngest, type IngestHarness } from '../support/ingest-harness.ts';
import { waitFor } from '../support/replay-faults.ts';

const START = 1_735_689_600_000_000;

interface Context {
  server?: ReplayServer;
  ingest?: IngestHarness;
}

const input = suite<Context>('consumer input handling');

input.after.each(async (context) => {
  await context.ingest?.close();
  await context.server?.close();
  context.ingest = context.server = undefined;
});

input('create, update, delete, identity, account and old-format events', async (context) => {
  const author = 'did:plc:placeholder0000000000001';
  const lines = [
    postEvent(author, '3kplaceholder01', START + 1, { text: 'I love this so much', langs: ['en'] }),
    postEvent(author, '3kplaceholder01', START + 2, { text: 'I hate this so much', langs: ['en'] }, 'update'),
    JSON.stringify({ did: author, time_us: START + 3, kind: 'commit', commit: { rev: 'r3', operation: 'delete', collection: 'app.bsky.feed.post', rkey: '3kplaceholder01' } }),
    identityEvent('did:plc:placeholder0000000000002', START + 4, 'author-b.example'),
    accountEvent('did:plc:placeholder0000000000003', START + 5, 'deactivated'),
    JSON.stringify({ did: 'did:plc:placeholder0000000000004', time_us: START + 6, type: 'com', commit: { type: 'c', collection: 'app.bsky.feed.post', rkey: '3kplaceholder04' } }),
  ];
  context.server = await startReplayServer({ events: toCapture(lines) });
  context.ingest = await startIngest({ urls: [context.server.url] });
  const { ingest } = context;
  await ingest.waitForCursor(START + 6);

  const effects = ingest.ledger.batches.flatMap((batch) => batch.effects);
  const upserts = effects.filter((effect) => effect.kind === 'upsert');
  assert.is(upserts.length, 2, 'create and update became upserts');
  const [created, updated] = upserts as Array<Extract<(typeof effects)[number], { kind: 'upsert' }>>;
  assert.is(created!.post.sentiment.label, 'positive', 'create scored positive');
  assert.is(updated!.operation, 'update', 'update keeps its operation');
  assert.is(updated!.post.uri, created!.post.uri, 'update targets the same post');
  assert.is(updated!.post.sentiment.label, 'negative', 'update re-scored');
  assert.ok(effects.some((effect) => effect.kind === 'delete' && effect.uri === created!.post.uri), 'delete effect for the post');
  assert.is(await ingest.countPosts(), 0, 'the deleted post is gone from the store');
  assert.is(await ingest.store.readCursor(), START + 6, 'stored cursor reached the ignored last event');

  await waitFor(() => (ingest.latestStatus()?.eventsReceived ?? 0) >= 6, 3000, 'status published');
  const status = ingest.latestStatus()!;
  assert.equal(status.ignored, { identity: 1, 'account-status': 1, 'unknown-kind': 1 }, 'ignored events counted by reason');
  assert.equal(status.dropped, {}, 'nothing dropped');
});

input('deleted or taken-down account removes its posts', async (context) => {
  const lines = [
    postEvent(did(1), rkey(1), START + 1, { text: 'first', langs: ['en'] }),
    postEvent(did(1), rkey(2), START + 2, { text: 'second', langs: ['en'] }),
    postEvent(did(2), rkey(3), START + 3, { text: 'other author', langs: ['en'] }),
    accountEvent(did(1), START + 4, 'takendown'),
  ];
  context.server = await startReplayServer({ events: toCapture(lines) });
  context.ingest = await startIngest({ urls: [context.server.url] });
  await context.ingest.waitForCursor(START + 4);
  assert.is(await context.ingest.countPosts(), 1, 'only the other author keeps a post');
});

input('image-only posts are stored as unscored without language', async (context) => {
  const embed = 'app.bsky.embed.images';
  const lines = ['', '   ', '\u200B'].map((text, index) => postEvent(did(index), rkey(index), START + index + 1, { text, embedType: embed }));
  context.server = await startReplayServer({ events: toCapture(lines) });
  context.ingest = await startIngest({ urls: [context.server.url] });
  await context.ingest.waitForCursor(START + 3);
  assert.is(await context.ingest.countPosts(), 3, 'all three posts stored');
  for (const post of context.ingest.ledger.alive.values()) {
    assert.equal(post.langs, [], `langs of ${JSON.stringify(post.text)}`);
    assert.is(post.sentiment.label, 'unscored', `label of ${JSON.stringify(post.text)}`);
    assert.ok(Number.isFinite(post.sentiment.compound), 'compound is a number');
  }
});

input('binary and malformed frames are dropped without closing the connection', async (context) => {
  const lines = postSeries(10, START);
  context.server = await startReplayServer({
    events: toCapture(lines),
    hooks: {
      onConnection(connection) {
        connection.sendFrame(Buffer.from(Array.from({ length: 200 }, (_, index) => (index * 31) % 256)), true);
        connection.sendFrame('{"did":"did:plc:x","time_us":');
        connection.sendFrame(postEvent(did(99), rkey(99), START - 5, { text: 17 }));
      },
    },
  });
  context.ingest = await startIngest({ urls: [context.server.url] });
  const { ingest } = context;
  await ingest.waitForCursor(START + 9000);
  assert.is(await ingest.countPosts(), 10, 'the ten following posts are stored');
  assert.is(context.server.totalConnections, 1, 'one connection: nothing closed it');
  await waitFor(() => (ingest.latestStatus()?.eventsReceived ?? 0) >= 13, 3000, 'status published');
  assert.equal(ingest.latestStatus()!.dropped, { 'binary-frame': 1, 'malformed-json': 1, 'invalid-text': 1 }, 'drops counted by reason');
  const warning = ingest.logs().find((line) => line.msg === 'dropped upstream event' && line.reason === 'invalid-text');
  assert.is(warning?.did, did(99), 'drop logged with the did');
  assert.is(warning?.rkey, rkey(99), 'drop logged with the rkey');
});

const oversizedCases = [
  { name: 'accepted below MAX_MESSAGE_BYTES', limit: 4 * 1024 * 1024, query: '', stored: 21, dropped: 0 },
  { name: 'left out by the upstream', limit: 1024 * 1024, query: '', stored: 20, dropped: 0 },
  // An upstream that ignores maxMessageSizeBytes (0 disables Jetstream's limit) sends it anyway.
  { name: 'dropped by the consumer', limit: 1024 * 1024, query: '?maxMessageSizeBytes=0', stored: 20, dropped: 1 },
];
for (const { name, limit, query, stored, dropped } of oversizedCases) {
  input(`2 MB post ${name} causes no reconnect`, async (context) => {
    const big = postEvent(did(500), rkey(500), START + 10_500, { text: 'bad good '.repeat(222_223), langs: ['en'] });
    const later = postSeries(10, START + 20_000).map((line, index) => line.replaceAll(rkey(index), rkey(100 + index)));
    context.server = await startReplayServer({ events: toCapture([...postSeries(10, START), big, ...later]) });
    context.ingest = await startIngest({ urls: [context.server.url + query], env: { MAX_MESSAGE_BYTES: String(limit) } });
    const { ingest } = context;
    await ingest.waitForCursor(START + 29_000);

    assert.is(context.server.totalConnections, 1, 'no reconnect loop');
    assert.is(await ingest.store.readCursor(), START + 29_000, 'cursor moved past the big event');
    assert.is(await ingest.countPosts(), stored, 'stored posts');
    const bigPost = ingest.ledger.alive.get(`at://${did(500)}/app.bsky.feed.post/${rkey(500)}`);
    if (stored === 21) assert.is(bigPost?.text.length, ingest.config.MAX_TEXT_LENGTH, 'big text cut to MAX_TEXT_LENGTH');
    await waitFor(() => (ingest.latestStatus()?.eventsReceived ?? 0) >= 20, 3000, 'status published');
    assert.is(ingest.latestStatus()!.dropped.oversized ?? 0, dropped, 'oversized drops');
  });
}

input('compression falls back to JSON when the dictionary is missing', async (context) => {
  context.server = await startReplayServer({ events: toCapture(postSeries(5, START)) });
  context.ingest = await startIngest({ urls: [context.server.url], env: { JETSTREAM_COMPRESS: 'true', ZSTD_DICTIONARY_PATH: '/nonexistent/zstd_dictionary' } });
  await context.ingest.waitForCursor(START + 4000);
  const warning = context.ingest.logs().find((line) => String(line.msg).includes('running uncompressed'));
  assert.ok(warning, 'start-up log says compression is off');
  assert.type(warning!.reason, 'string', 'with the reason');
  assert.is(context.server.requests[0]!.searchParams.get('compress'), null, 'compression not requested');
  assert.is(await context.ingest.countPosts(), 5, 'posts stored');
});

input('compressed binary frames are decoded when a decoder works', async (context) => {
  // gzip stands in for Jetstream's dictionary zstd, which neither runtime can decode today.
  let extensions: string | undefined = 'unset';
  context.server = await startReplayServer({
    events: toCapture(postSeries(5, START)),
    compressFrame: (payload) => gzipSync(payload),
    hooks: { onConnection: (connection) => (extensions = connection.headers['sec-websocket-extensions']) },
  });
  context.ingest = await startIngest({
    urls: [context.server.url],
    env: { JETSTREAM_COMPRESS: 'true', ZSTD_DICTIONARY_PATH: '/unused' },
    firehose: { zstd: { available: true, dictionaryId: 1, decode: (frame) => gunzipSync(frame) } },
  });
  await context.ingest.waitForCursor(START + 4000);
  assert.is(context.server.requests[0]!.searchParams.get('compress'), 'true', 'compression requested');
  assert.is(extensions, undefined, 'permessage-deflate not offered together with compress=true');
  assert.is(await context.ingest.countPosts(), 5, 'posts stored');
  await waitFor(() => context.ingest!.latestStatus()?.compressed === true, 3000, 'status says compressed');
});

input('frames the decoder keeps failing on switch the consumer to JSON', async (context) => {
  context.server = await startReplayServer({ events: toCapture(postSeries(40, START)), compressFrame: (payload) => gzipSync(payload) });
  const broken = () => {
    throw new Error('Dictionary mismatch');
  };
  context.ingest = await startIngest({
    urls: [context.server.url],
    env: { JETSTREAM_COMPRESS: 'true', ZSTD_DICTIONARY_PATH: '/unused' },
    firehose: { zstd: { available: true, dictionaryId: 1, decode: broken } },
  });
  await context.ingest.waitForCursor(START + 39_000);
  assert.is(await context.ingest.countPosts(), 40, 'every post stored after the switch');
  const last = context.server.requests.at(-1)!;
  assert.is(last.searchParams.get('compress'), null, 'the new connection asks for JSON');
  assert.ok(context.ingest.logs().some((line) => String(line.msg).includes('switching to uncompressed')), 'the switch is logged');
});

input('a failing store write is retried and nothing is lost', async (context) => {
  let failures = 0;
  context.server = await startReplayServer({ events: toCapture(postSeries(300, START)) });
  context.ingest = await startIngest({
    urls: [context.server.url],
    env: { BATCH_MAX_EVENTS: '50' },
    onBatch() {
      if (failures < 3) {
        failures += 1;
        throw new Error('database is locked');
      }
    },
  });
  await context.ingest.waitForCursor(START + 299_000);
  assert.is(failures, 3, 'three commits failed');
  assert.is(await context.ingest.countPosts(), 300, 'all posts stored');
  assert.ok(context.ingest.logs().some((line) => line.msg === 'storing a batch failed; retrying the same batch'), 'retry logged');
  const creates = [...context.ingest.ledger.creates.values()];
  assert.ok(creates.every((count) => count === 1), 'each create committed once');
});

input('slow storage pauses reading instead of growing the queue', async (context) => {
  const queueMax = 100;
  const lines = postSeries(3000, START, 1000, 'z'.repeat(400));
  context.server = await startReplayServer({ events: toCapture(lines) });
  context.ingest = await startIngest({
    urls: [context.server.url],
    env: { QUEUE_MAX_EVENTS: String(queueMax), BATCH_MAX_EVENTS: '50', STALL_TIMEOUT_SECONDS: '30' },
    onBatch: () => new Promise((resolve) => setTimeout(resolve, 20)),
  });
  const { ingest } = context;
  await waitFor(() => ingest.statuses.some((status) => status.paused), 10_000, 'reading paused');
  await ingest.waitForCursor(START + 2_999_000, 60_000);

  const depths = ingest.statuses.map((status) => status.queueDepth);
  // Frames already read from TCP when reading pauses still arrive, hence the margin.
  assert.ok(Math.max(...depths) <= queueMax + 400, `queue depth stayed near ${queueMax}: max ${Math.max(...depths)}`);
  const pausedAt = ingest.statuses.findIndex((status) => status.paused);
  assert.ok(ingest.statuses.slice(pausedAt).some((status) => !status.paused), 'reading resumed after the queue drained');
  assert.is(await ingest.countPosts(), 3000, 'all posts stored');
  assert.ok([...ingest.ledger.creates.values()].every((count) => count === 1), 'each create committed once');
  assert.is(context.server.totalConnections, 1, 'no reconnect needed');
});

input.run();
