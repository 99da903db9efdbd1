import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as parseCsv } from 'csv-parse/sync';
import { BASE_MS, FIXTURE_POSTS, json, openHarness, postRecord, type Harness } from './harness.ts';
import { TimeseriesSchema, PostSchema } from '../../src/http/schemas.ts';
import { CSV_COLUMNS, encodeCsv } from '../../src/http/export-stream.ts';

// ---

const series = suite<{ harness: Harness }>('GET /api/timeseries');

series.before(async (context) => {
  context.harness = await openHarness();
});
series.after(async (context) => context.harness.close());

series('hour buckets over the fixture', async ({ harness }) => {
  const since = new Date(BASE_MS - 3_600_000).toISOString();
  const response = await harness.app.request(`/api/timeseries?resolution=hour&since=${since}`);
  assert.is(response.status, 200, 'status');
  const body = TimeseriesSchema.parse(await response.json());
  assert.is(body.resolution, 'hour', 'resolution echoed');
  assert.equal(
    body.points.map((point) => point.time),
    ['2025-01-31T11:00:00.000Z', '2025-01-31T12:00:00.000Z', '2025-01-31T13:00:00.000Z'],
    'one bucket per hour up to now, empty ones included',
  );
  assert.equal(body.points.map((point) => point.posts), [0, 8, 4], 'posts per bucket');
  assert.is(body.points[1]!.labels.unscored, 1, 'labels per bucket');
  assert.is(body.points[0]!.meanCompound, null, 'empty bucket has no mean');
});

series('minute resolution by default, last hour', async ({ harness }) => {
  const body = TimeseriesSchema.parse(await (await harness.app.request('/api/timeseries')).json());
  assert.is(body.resolution, 'minute', 'default resolution');
  assert.is(body.points.length, 60, 'sixty minute buckets');
  assert.is(body.until, new Date(harness.now).toISOString(), 'ends now');
});

for (const [query, parameter, pattern] of [
  ['resolution=week', 'resolution', /one of minute, hour, day/],
  ['resolution=minute&since=2025-01-29T00:00:00Z', 'since', /at most 1440 buckets/],
  ['since=2025-02-01T00:00:00Z&until=2025-01-31T00:00:00Z', 'until', /later than since/],
  ['until=soon', 'until', /ISO 8601/],
] as const) {
  series(`400 for ${query}`, async ({ harness }) => {
    const response = await harness.app.request(`/api/timeseries?${query}`);
    assert.is(response.status, 400, 'status');
    const body = await json(response);
    assert.is(body.error.parameter, parameter, 'names the parameter');
    assert.match(body.error.expected, pattern, 'gives the accepted form');
  });
}

series.run();

// ---

const exports = suite<{ harness: Harness }>('GET /api/export');

exports.before(async (context) => {
  context.harness = await openHarness();
});
exports.after(async (context) => context.harness.close());

const fullRange = `since=${BASE_MS}&until=${BASE_MS + 86_400_000}`;

exports('CSV round-trips every text exactly with escapeFormulas=false', async ({ harness }) => {
  const response = await harness.app.request(`/api/export?format=csv&escapeFormulas=false&${fullRange}`);
  assert.is(response.status, 200, 'status');
  assert.match(response.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/, 'content type');
  assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="skypulse-20250131T120000Z-20250201T120000Z\.csv"$/, 'file name');
  const rows = parseCsv(await response.text(), { columns: true, relax_column_count: false }) as Record<string, string>[];
  assert.equal(Object.keys(rows[0]!), [...CSV_COLUMNS], 'header row');
  assert.is(rows.length, FIXTURE_POSTS.length, 'one row per post');
  for (const spec of FIXTURE_POSTS) {
    const expected = postRecord(spec);
    const row = rows.find((candidate) => candidate.uri === expected.uri);
    assert.ok(row, `row for ${spec.rkey}`);
    assert.is(row!.text, expected.text, `text of ${spec.rkey} survives quoting`);
    assert.is(row!.langs, expected.langs.join(','), `langs of ${spec.rkey}`);
    assert.is(Number(row!.compound), expected.sentiment.compound, `compound of ${spec.rkey}`);
  }
  assert.equal(rows.map((row) => row.uri), [...rows.map((row) => row.uri)].sort(), 'oldest first');
});

exports('CSV quotes bare line feeds and carriage returns', () => {
  const texts = ['line one\nline two', 'carriage\rreturn', 'blank line\n\nafter', 'ends with\n'];
  const csv = encodeCsv(texts.map((text, index) => [index, text]), false);
  const rows = parseCsv(csv, { relax_column_count: false }) as string[][];
  assert.is(rows.length, texts.length, 'one record per row, none split at a line break');
  for (const [index, text] of texts.entries()) {
    assert.is(rows[index]![1], text, `text ${JSON.stringify(text)} survives`);
  }
  // Spreadsheets and Python's csv module end an unquoted field at a bare line feed too.
  const unquotedBreak = csv.split('\r\n').filter((record) => record !== '').find((record) => !record.includes('"'));
  assert.is(unquotedBreak, undefined, 'every record with a line break is quoted');
});

exports('CSV escapes formula-like text by default', async ({ harness }) => {
  const text = await (await harness.app.request(`/api/export?${fullRange}`)).text();
  const rows = parseCsv(text, { columns: true }) as Record<string, string>[];
  const byRkey = (rkey: string) => rows.find((row) => row.uri.endsWith(`/${rkey}`))!.text;
  assert.is(byRkey('p06'), `'=HYPERLINK("http://example.invalid","click")`, 'leading = is prefixed');
  assert.is(byRkey('p09'), "'-5 degrees and the heating broke", 'leading - is prefixed');
  assert.is(byRkey('p10'), "'@everyone the weather is lovely", 'leading @ is prefixed');
  assert.is(byRkey('p01'), 'What a wonderful morning', 'ordinary text unchanged');
  const negative = rows.find((row) => row.uri.endsWith('/p02'))!;
  assert.is(negative.compound, '-0.7', 'numbers are not prefixed');
});

exports('NDJSON has one post object per line', async ({ harness }) => {
  const response = await harness.app.request(`/api/export?format=ndjson&${fullRange}&label=positive`);
  assert.is(response.status, 200, 'status');
  assert.match(response.headers.get('content-type') ?? '', /^application\/x-ndjson/, 'content type');
  const text = await response.text();
  assert.ok(text.endsWith('\n'), 'ends with a newline');
  const posts = text.trimEnd().split('\n').map((line) => PostSchema.parse(JSON.parse(line)));
  assert.is(posts.length, 5, 'label filter applies');
  assert.ok(posts.every((post) => post.sentiment.label === 'positive'), 'only positive posts');
});

exports('empty range gives only the header', async ({ harness }) => {
  const text = await (await harness.app.request(`/api/export?since=2024-01-01&until=2024-01-02`)).text();
  assert.is(text, `${CSV_COLUMNS.join(',')}\r\n`, 'header row alone');
});

exports('defaults to the last 24 hours', async ({ harness }) => {
  const response = await harness.app.request('/api/export?format=ndjson');
  const lines = (await response.text()).trimEnd().split('\n');
  assert.is(lines.length, FIXTURE_POSTS.length, 'the fixture lies within the last day');
});

for (const [query, parameter] of [
  ['format=xlsx', 'format'],
  ['escapeFormulas=maybe', 'escapeFormulas'],
  ['since=2025-02-01&until=2025-01-01', 'until'],
  ['label=angry', 'label'],
  ['page=2', 'page'],
] as const) {
  exports(`400 for ${query}`, async ({ harness }) => {
    const response = await harness.app.request(`/api/export?${query}`);
    assert.is(response.status, 400, 'status');
    assert.is((await json(response)).error.parameter, parameter, 'names the parameter');
  });
}

exports('503 when the database is closed', async () => {
  const closed = await openHarness();
  await closed.store.close();
  const response = await closed.app.request(`/api/export?${fullRange}`);
  assert.is(response.status, 503, 'status before any byte is sent');
  const body = await json(response);
  assert.match(body.error.message, /database/, 'message names the database');
  await closed.close();
});

exports.run();
