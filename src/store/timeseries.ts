/**
 * Roll-up series at minute, hour or day resolution, summed from the per-minute roll-ups. Every
 * bucket that overlaps [since, until) is returned, empty ones included (zero counts and a null
 * mean), so a chart can plot the result without filling gaps. Days are UTC days.
 */
import type { Client } from '@libsql/client';
import type { Resolution, TimeseriesPoint, TimeseriesQuery } from './types.ts';
import { StoreError } from './errors.ts';
import { microseconds } from './queries.ts';

const BUCKET_SECONDS: Record<Resolution, number> = { minute: 60, hour: 3600, day: 86_400 };

/** Most buckets one series may have (two weeks of minutes). */
export const MAX_TIMESERIES_POINTS = 20_160;

export async function timeseries(client: Client, query: TimeseriesQuery): Promise<TimeseriesPoint[]> {
  const bucket = BUCKET_SECONDS[query.resolution];
  if (!bucket) {
    throw new StoreError('INVALID_QUERY', `Unknown resolution ${JSON.stringify(query.resolution)}; use minute, hour or day.`);
  }
  const since = microseconds(query.since, 'since') / 1e6;
  const until = microseconds(query.until, 'until') / 1e6;
  if (until <= since) {
    throw new StoreError('INVALID_QUERY', `until (${query.until}) must be later than since (${query.since}).`);
  }
  const first = Math.floor(since / bucket) * bucket;
  const count = Math.ceil((until - first) / bucket);
  if (count > MAX_TIMESERIES_POINTS) {
    throw new StoreError(
      'RANGE_TOO_LARGE',
      `The range holds ${count} ${query.resolution} buckets; the maximum is ${MAX_TIMESERIES_POINTS}. Use a coarser resolution or a shorter range.`,
    );
  }

  const points: TimeseriesPoint[] = [];
  for (let index = 0; index < count; index += 1) {
    points.push({
      time: new Date((first + index * bucket) * 1000).toISOString(),
      posts: 0,
      labels: { positive: 0, neutral: 0, negative: 0, unscored: 0 },
      meanCompound: null,
      languages: {},
    });
  }
  const pointAt = (start: number) => points[(start - first) / bucket];
  const end = first + count * bucket;

  const minutes = await client.execute({
    sql: `SELECT minute_start - minute_start % ? AS bucket, sum(positive), sum(neutral), sum(negative), sum(unscored),
        sum(scored), sum(compound_sum_micro)
      FROM rollup_minutes WHERE minute_start >= ? AND minute_start < ? GROUP BY bucket`,
    args: [bucket, first, end],
  });
  for (const row of minutes.rows) {
    const point = pointAt(Number(row[0]));
    if (!point) continue;
    point.labels = { positive: Number(row[1]), neutral: Number(row[2]), negative: Number(row[3]), unscored: Number(row[4]) };
    point.posts = point.labels.positive + point.labels.neutral + point.labels.negative + point.labels.unscored;
    const scored = Number(row[5]);
    point.meanCompound = scored > 0 ? Number(row[6]) / 1e6 / scored : null;
  }

  const languages = await client.execute({
    sql: `SELECT minute_start - minute_start % ? AS bucket, language, sum(posts) FROM rollup_languages
      WHERE minute_start >= ? AND minute_start < ? GROUP BY bucket, language HAVING sum(posts) <> 0`,
    args: [bucket, first, end],
  });
  for (const row of languages.rows) {
    const point = pointAt(Number(row[0]));
    if (point) point.languages[String(row[1])] = Number(row[2]);
  }
  return points;
}
