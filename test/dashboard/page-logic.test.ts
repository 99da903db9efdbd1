/**
 * The dashboard's pure modules, run directly on the test runtime: link building from untrusted
 * AT-URIs, shares that show "no data" rather than a made-up 100% neutral, number formats, and
 * the alignment of roll-up points for the charts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TimeseriesPoint } from '../../src/store/types.ts';
import { NO_DATA, formatCompound, formatDuration, formatShare } from '../../static/src/format.ts';
import { blueskyPostUrl, parsePostUri, safeHttpUrl } from '../../static/src/links.ts';
import { labelShares } from '../../static/src/sentiment.ts';
import { alignPoints, stackedColumns } from '../../static/src/timeline-data.ts';

const DID = 'did:plc:ewvi7nxzyoun6zhxrhs64oiz';

const links = suite('dashboard links');

links('post URI becomes a bsky.app link', () => {
  assert.equal(parsePostUri(`at://${DID}/app.bsky.feed.post/3k2yihcrp6f2c`), { did: DID, rkey: '3k2yihcrp6f2c' }, 'parsed parts');
  assert.is(
    blueskyPostUrl(`at://${DID}/app.bsky.feed.post/3k2yihcrp6f2c`),
    `https://bsky.app/profile/${DID}/post/3k2yihcrp6f2c`,
    'link to the post page',
  );
  assert.is(blueskyPostUrl('at://did:web:example.com/app.bsky.feed.post/abc'), 'https://bsky.app/profile/did:web:example.com/post/abc', 'did:web works');
});

links('malformed post URIs give no link', () => {
  const rejected = [
    'javascript:alert(1)',
    `https://bsky.app/profile/${DID}/post/abc`,
    `at://${DID}/app.bsky.feed.like/abc`,
    `at://${DID}/app.bsky.feed.post/abc/extra`,
    `at://${DID}/app.bsky.feed.post/..`,
    `at://${DID}/app.bsky.feed.post/a"b`,
    `at://${DID}/app.bsky.feed.post/a b`,
    'at://alice.example.com/app.bsky.feed.post/abc',
    'at://did:plc:"><script>/app.bsky.feed.post/abc',
    `at://${DID}/app.bsky.feed.post/`,
  ];
  for (const uri of rejected) assert.is(blueskyPostUrl(uri), null, `no link for ${JSON.stringify(uri)}`);
});

links('only http and https URLs pass', () => {
  assert.is(safeHttpUrl('https://example.com/a?b=1'), 'https://example.com/a?b=1', 'https kept');
  assert.is(safeHttpUrl('http://example.com'), 'http://example.com/', 'http normalised');
  for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>', 'vbscript:x', '//example.com', 'example.com', 42]) {
    assert.is(safeHttpUrl(url), null, `rejected ${JSON.stringify(url)}`);
  }
});

links.run();

const figures = suite('dashboard figures');

figures('window of text-less posts shows no data', () => {
  const shares = labelShares({ positive: 0, neutral: 0, negative: 0, unscored: 12 });
  assert.is(shares.scored, 0, 'nothing scored');
  assert.is(formatShare(shares.neutral), NO_DATA, 'neutral share is "no data", not 100%');
  assert.is(formatShare(shares.positive), NO_DATA, 'positive share is "no data"');
  assert.is(formatShare(shares.unscored), '100%', 'every post is unscored');
});

figures('empty window shows no data everywhere', () => {
  const shares = labelShares({ positive: 0, neutral: 0, negative: 0, unscored: 0 });
  for (const key of ['positive', 'neutral', 'negative', 'unscored'] as const) {
    assert.is(shares[key], null, `${key} share is missing`);
  }
});

figures('shares of scored posts ignore unscored ones', () => {
  const shares = labelShares({ positive: 3, neutral: 1, negative: 0, unscored: 4 });
  assert.is(shares.positive, 0.75, 'positive of scored');
  assert.is(shares.negative, 0, 'negative of scored');
  assert.is(shares.unscored, 0.5, 'unscored of all');
});

figures('compound keeps its sign and never shows NaN', () => {
  assert.is(formatCompound(0.6249), '+0.62', 'positive');
  assert.is(formatCompound(-0.1), '\u22120.10', 'negative with a minus sign');
  assert.is(formatCompound(-0.001), '0.00', 'rounds to zero without a sign');
  assert.is(formatCompound(null), NO_DATA, 'missing');
  assert.is(formatCompound(Number.NaN), NO_DATA, 'NaN');
});

figures('durations read in the largest sensible unit', () => {
  assert.is(formatDuration(42), '42 s', 'seconds');
  assert.is(formatDuration(600), '10 min', 'minutes');
  assert.is(formatDuration(3 * 3600 + 300), '3 h 5 min', 'hours and minutes');
  assert.match(formatDuration(13_245_186), /^153 days$/, 'days');
});

figures.run();

const timeline = suite('dashboard timeline data');

const point = (time: string, positive: number, unscored: number, meanCompound: number | null): TimeseriesPoint => ({
  time,
  posts: positive + unscored,
  labels: { positive, neutral: 0, negative: 0, unscored },
  meanCompound,
  languages: {},
});

timeline('quiet minutes become gaps and zeros', () => {
  const since = Date.parse('2026-01-01T10:00:00Z');
  const columns = alignPoints(
    [point('2026-01-01T10:01:00.000Z', 2, 1, 0.5), point('2026-01-01T10:03:00Z', 0, 4, null)],
    since,
    since + 4 * 60_000,
    60_000,
  );
  assert.equal(columns.times, [0, 1, 2, 3].map((minute) => (since + minute * 60_000) / 1000), 'one bucket per minute, in seconds');
  assert.equal(columns.meanCompound, [null, 0.5, null, null], 'mean only where posts were scored');
  assert.equal(columns.posts, [0, 3, 0, 4], 'post counts with zeros for quiet minutes');
});

timeline('stacked layers add up to the total', () => {
  const since = Date.parse('2026-01-01T10:00:00Z');
  const columns = alignPoints([point('2026-01-01T10:00:00Z', 2, 3, 0.1)], since, since + 60_000, 60_000);
  const layers = stackedColumns(columns);
  assert.equal(layers.map((layer) => layer.label), ['unscored', 'negative', 'neutral', 'positive'], 'tallest layer drawn first');
  assert.equal(layers[0]!.values, [5], 'top layer is the total');
  assert.equal(layers[3]!.values, [2], 'bottom layer is the positive count');
});

timeline.run();
