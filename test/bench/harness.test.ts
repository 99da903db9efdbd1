import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LatencyHistogram, MAX_EXACT_OVERFLOW, median, percentile, summarizeRuns } from '../../bench/lib/stats.ts';
import { formatNumber, formatWithRange, renderTable } from '../../bench/lib/table.ts';
import { batchKey, batchKeyOf, bufferReaders, readPostUris, readSentAt, readTotal } from '../../bench/lib/batch-frame.ts';
import { judge, type Measurement } from '../../bench/lib/results.ts';
import { CONTENDED_PERCENT, GENERATED_END, GENERATED_START, isContended, writeGeneratedBlock } from '../../bench/lib/report.ts';
import { expectedCounts, readEventLines } from '../../bench/lib/events.ts';
import { sharedDataPath, skipWithoutSharedData } from '../support/shared-data.ts';

const statistics = suite('bench statistics');

statistics('median of odd and even counts', () => {
  assert.is(median([5, 1, 3]), 3, 'odd count takes the middle value after sorting');
  assert.is(median([4, 1, 3, 2]), 2.5, 'even count takes the mean of the two middle values');
  assert.is(median([7]), 7, 'a single value is its own median');
});

statistics('median rejects an empty list', () => {
  assert.throws(() => median([]), /empty/, 'an empty list has no median');
});

statistics('percentile uses nearest rank', () => {
  const values = Array.from({ length: 100 }, (_, index) => 100 - index);
  assert.is(percentile(values, 50), 50, 'p50 of 1..100 is 50');
  assert.is(percentile(values, 99), 99, 'p99 of 1..100 is 99');
  assert.is(percentile(values, 100), 100, 'p100 is the maximum');
  assert.is(percentile(values, 0), 1, 'p0 is the minimum');
  assert.is(percentile([10, 20, 30], 50), 20, 'p50 of three values is the middle one');
  assert.throws(() => percentile(values, 101), /0 to 100/, 'p above 100 is rejected');
});

statistics('summarizeRuns keeps range and runs', () => {
  const summary = summarizeRuns([3, 9, 6]);
  assert.is(summary.median, 6, 'median of the runs');
  assert.is(summary.min, 3, 'smallest run');
  assert.is(summary.max, 9, 'largest run');
  assert.equal(summary.runs, [3, 9, 6], 'runs kept in their original order');
});

statistics('histogram percentiles to bin width', () => {
  const histogram = new LatencyHistogram(1, 100);
  for (let ms = 0.5; ms < 100; ms += 1) histogram.record(ms);
  assert.is(histogram.count, 100, 'every sample counted');
  assert.is(histogram.percentile(50), 50, 'p50 reported as the upper edge of its bin');
  assert.is(histogram.percentile(99), 99, 'p99 reported as the upper edge of its bin');
  histogram.record(-3);
  assert.is(histogram.percentile(0), 1, 'a negative sample counts in the first bin');
});

statistics('histogram bounds its overflow', () => {
  const histogram = new LatencyHistogram(1, 10);
  // Exact samples of 11 ms, then samples in the 20–30 ms coarse bin (width 10 ms, the fine range).
  for (let index = 0; index < MAX_EXACT_OVERFLOW; index++) histogram.record(11);
  for (let index = 0; index < 500; index++) histogram.record(25);
  const data = histogram.toJSON();
  assert.is(data.overflow.length, MAX_EXACT_OVERFLOW, 'exact samples stop at the cap');
  assert.equal(data.coarse, [[2, 500]], 'the rest is counted in one coarse bin');
  assert.is(histogram.count, MAX_EXACT_OVERFLOW + 500, 'every sample counts');
  assert.is(histogram.percentile(50), 11, 'a rank among the exact samples is exact');
  assert.is(histogram.percentile(100), 30, 'a rank in a coarse bin reports its upper edge');

  const merged = new LatencyHistogram(1, 10);
  merged.merge(data);
  assert.is(merged.count, histogram.count, 'merge keeps the count');
  assert.is(merged.percentile(100), 30, 'merge keeps the coarse bin');
});

statistics('histogram keeps overflow exactly', () => {
  const histogram = new LatencyHistogram(1, 10);
  histogram.record(2.5);
  histogram.record(250);
  histogram.record(120);
  assert.is(histogram.percentile(100), 250, 'largest overflow sample is the maximum');
  assert.is(histogram.percentile(60), 120, 'second rank of three falls on the smaller overflow sample');
  assert.is(histogram.max, 250, 'max tracks overflow samples');
});

statistics('histogram merge adds counts', () => {
  const first = new LatencyHistogram(0.5, 50);
  const second = new LatencyHistogram(0.5, 50);
  for (let index = 0; index < 10; index++) first.record(1.2);
  for (let index = 0; index < 30; index++) second.record(20.1);
  second.record(75);
  first.merge(JSON.parse(JSON.stringify(second.toJSON())));
  assert.is(first.count, 41, 'merged count is the sum of both');
  assert.is(first.percentile(20), 1.5, 'low samples stay in their bin');
  assert.is(first.percentile(50), 20.5, 'high samples land in their bin after merging');
  assert.is(first.percentile(100), 75, 'overflow sample survives serialisation and merge');
  assert.throws(() => first.merge(new LatencyHistogram(1, 50).toJSON()), /bin/, 'different bin widths are rejected');
});

statistics.run();

// ---

const tables = suite('bench table rendering');

tables('renderTable pads and aligns columns', () => {
  const table = renderTable(['Metric', 'Value'], [['posts/s', '25,000'], ['p99', '8 ms']], ['left', 'right']);
  assert.is(
    table,
    ['| Metric  |  Value |', '| ------- | -----: |', '| posts/s | 25,000 |', '| p99     |   8 ms |'].join('\n'),
    'columns padded to the widest cell, right-aligned column marked with a colon',
  );
});

tables('renderTable escapes pipes', () => {
  const table = renderTable(['A'], [['x | y']]);
  assert.ok(table.includes('x \\| y'), 'a pipe inside a cell is escaped');
});

tables('renderTable rejects ragged rows', () => {
  assert.throws(() => renderTable(['A', 'B'], [['only one']]), /1 cells but there are 2 headers/, 'row length must match the headers');
});

tables('number formats', () => {
  assert.is(formatNumber(25123.7), '25,124', 'large values get separators and no decimals');
  assert.is(formatNumber(12.345, 1), '12.3', 'small values keep the requested decimals');
  assert.is(formatNumber(Number.NaN), 'n/a', 'NaN prints as n/a');
  assert.is(formatWithRange(20, 18, 22), '20 (18–22)', 'median with its range');
  assert.is(formatWithRange(20, 20, 20), '20', 'no range when every run agrees');
});

tables.run();

// ---

const frames = suite('bench batch frames');

const FRAME = '42["posts",{"posts":[{"uri":"at://did:plc:a/app.bsky.feed.post/1","text":"say \\"uri\\":\\"x\\" here"},{"uri":"at://did:plc:b/app.bsky.feed.post/2","text":""}],"sentAt":1783175888123}]';

frames('reads sentAt and uris', () => {
  assert.is(readSentAt(FRAME), 1783175888123, 'sentAt read from the end of the frame');
  assert.equal(
    readPostUris(FRAME),
    ['at://did:plc:a/app.bsky.feed.post/1', 'at://did:plc:b/app.bsky.feed.post/2'],
    'escaped quotes inside text are not taken for a uri key',
  );
  assert.ok(Number.isNaN(readSentAt('42["posts",{"posts":[]}]')), 'a frame without sentAt gives NaN');
});

frames('buffer readers match string readers', () => {
  const bytes = Buffer.from(FRAME);
  const uris = readPostUris(FRAME);
  assert.is(bufferReaders.sentAt(bytes), readSentAt(FRAME), 'same sentAt from bytes');
  assert.is(bufferReaders.postCount(bytes), uris.length, 'same post count from bytes');
  assert.is(bufferReaders.firstUri(bytes), uris[0], 'same first uri from bytes');
  assert.is(bufferReaders.lastUri(bytes), uris[1], 'same last uri from bytes');
  assert.is(bufferReaders.total(bytes, 7), readTotal(FRAME, 7), 'same fallback when total is absent');
  assert.is(bufferReaders.total(Buffer.from('{"posts":[],"total":12,"sentAt":5}'), 0), 12, 'total read from bytes');
  assert.is(batchKeyOf(1, uris.length, uris[0]!, uris[1]!), batchKey(1, uris), 'key from parts equals key from the uri list');
  assert.ok(Number.isNaN(bufferReaders.sentAt(Buffer.from('42["posts",{}]'))), 'no sentAt gives NaN');
});

frames('batchKey depends on content', () => {
  const uris = readPostUris(FRAME);
  assert.is(batchKey(1, uris), batchKey(1, [...uris]), 'same batch gives the same key');
  assert.is.not(batchKey(1, uris), batchKey(2, uris), 'a different stamp changes the key');
  assert.is.not(batchKey(1, uris), batchKey(1, uris.slice(0, 1)), 'a missing post changes the key');
});

frames.run();

// ---

const verdicts = suite('bench verdicts and report');

const measurement = (runs: number[], target: Measurement['target']): Measurement => ({ key: 'k', label: 'k', unit: '', runs, target });

verdicts('judge compares the median', () => {
  assert.equal(judge(measurement([9, 12, 11], { text: '>= 10', atLeast: 10 }), 'node', false), { state: 'met', median: 11 }, 'median 11 meets >= 10');
  assert.equal(judge(measurement([9, 12, 8], { text: '>= 10', atLeast: 10 }), 'node', false), { state: 'missed', median: 9 }, 'median 9 misses >= 10');
  assert.equal(judge(measurement([30], { text: '<= 20', atMost: 20 }), 'deno', false), { state: 'missed', median: 30 }, 'upper bound judged on Deno too');
});

verdicts('judge skips quick and node-only', () => {
  const target = { text: '>= 10', atLeast: 10, nodeOnly: true };
  assert.equal(judge(measurement([1], target), 'node', true), { state: 'not judged' }, 'quick mode never judges times');
  assert.equal(judge(measurement([1], target), 'deno', false), { state: 'not judged' }, 'a Node-only target is not judged on Deno');
  assert.equal(judge(measurement([1], undefined), 'node', false), { state: 'no target' }, 'no target, no verdict');
});

verdicts('generated block keeps hand-written text', () => {
  const folder = mkdtempSync(join(tmpdir(), 'skypulse-bench-test-'));
  try {
    const path = join(folder, 'BENCHMARKS.md');
    writeFileSync(path, `# Title\n\nBefore.\n\n${GENERATED_START}\nold\n${GENERATED_END}\n\nAfter.\n`);
    writeGeneratedBlock(path, 'new results');
    const text = readFileSync(path, 'utf8');
    assert.ok(text.includes('Before.'), 'text before the block is kept');
    assert.ok(text.includes('After.'), 'text after the block is kept');
    assert.ok(text.includes(`${GENERATED_START}\nnew results\n${GENERATED_END}`), 'block content replaced');
    assert.not.ok(text.includes('old'), 'old block content removed');

    writeFileSync(path, '# No markers\n');
    assert.throws(() => writeGeneratedBlock(path, 'x'), /no generated block/, 'a document without markers is rejected');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

verdicts.run();

// ---

const events = suite('bench expected counts');

events('derives counts from events', () => {
  const line = (operation: string, rkey: string, timeUs: number) =>
    JSON.stringify({ did: 'did:plc:x', time_us: timeUs, kind: 'commit', commit: { operation, collection: 'app.bsky.feed.post', rkey } });
  const counts = expectedCounts([
    line('create', 'a', 1),
    line('create', 'b', 2),
    JSON.stringify({ did: 'did:plc:x', time_us: 3, kind: 'identity' }),
    line('update', 'a', 4),
    line('delete', 'b', 5),
    JSON.stringify({ did: 'did:plc:x', time_us: 6, kind: 'commit', commit: { operation: 'create', collection: 'app.bsky.feed.like', rkey: 'c' } }),
  ]);
  assert.is(counts.events, 6, 'every line counted as an event');
  assert.is(counts.creates, 2, 'only post creates counted');
  assert.is(counts.postsAlive, 1, 'the deleted post is not alive');
  assert.is(counts.firstTimeUs, 1, 'first time_us');
  assert.is(counts.lastTimeUs, 6, 'last time_us includes events that are not posts');
});

events('matches the published bench counts', () => {
  if (skipWithoutSharedData('jetstream-bench.ndjson')) return;
  const expected = JSON.parse(readFileSync(sharedDataPath('jetstream-bench.expected.json')!, 'utf8')) as Record<string, number>;
  const counts = expectedCounts(readEventLines(sharedDataPath('jetstream-bench.ndjson')!));
  assert.is(counts.events, expected.events, 'event count');
  assert.is(counts.creates, expected.create, 'post creates');
  assert.is(counts.deletes, expected.delete, 'post deletes');
  assert.is(counts.postsAlive, expected.posts_alive_at_end, 'posts alive at the end');
  assert.is(counts.lastTimeUs, expected.last_time_us, 'last time_us');
});

events.run();

// ---

const contention = suite('bench contention marker');

contention('flags runs above the threshold', () => {
  const result = (foreignCpu: number[]) => ({ id: 'x', title: 'x', runtime: 'node' as const, measurements: [], checks: [], notes: [], foreignCpu });
  assert.ok(isContended(result([1, CONTENDED_PERCENT + 1])), 'one busy run marks the scenario');
  assert.not.ok(isContended(result([0, CONTENDED_PERCENT])), 'runs at or below the threshold are clean');
  assert.not.ok(isContended(result([])), 'no runs, no mark');
});

contention.run();
