/**
 * Turns roll-up points into the aligned columns uPlot draws: one column of bucket times and one
 * per series, with a bucket for every step in the range so quiet periods show as gaps or zeros
 * rather than being skipped.
 */
import type { Resolution, TimeseriesPoint } from '../../src/store/types.ts';
import { LABELS, type SentimentLabel } from './sentiment.ts';

export type Range = 'hour' | 'day' | 'week';

export interface RangeSpec {
  resolution: Resolution;
  /** Length of the range in ms. */
  span: number;
  /** Bucket length in ms, matching `resolution`. */
  step: number;
  /** How often the chart reloads while this range is shown, in ms. */
  refresh: number;
  description: string;
}

export const RANGES: Record<Range, RangeSpec> = {
  hour: { resolution: 'minute', span: 3_600_000, step: 60_000, refresh: 15_000, description: 'the last hour, per minute' },
  day: { resolution: 'hour', span: 86_400_000, step: 3_600_000, refresh: 300_000, description: 'the last day, per hour' },
  week: { resolution: 'hour', span: 7 * 86_400_000, step: 3_600_000, refresh: 300_000, description: 'the last week, per hour' },
};

export function isRange(value: string): value is Range {
  return value in RANGES;
}

export interface TimelineColumns {
  /** Bucket starts in seconds since the epoch (uPlot's time unit). */
  times: number[];
  meanCompound: Array<number | null>;
  posts: number[];
  labels: Record<SentimentLabel, number[]>;
}

/** Aligns `points` to buckets of `step` ms covering [since, until). */
export function alignPoints(points: readonly TimeseriesPoint[], since: number, until: number, step: number): TimelineColumns {
  const byBucket = new Map<number, TimeseriesPoint>();
  for (const point of points) {
    const time = Date.parse(point.time);
    if (!Number.isNaN(time)) byBucket.set(Math.floor(time / step) * step, point);
  }

  const columns: TimelineColumns = {
    times: [],
    meanCompound: [],
    posts: [],
    labels: { positive: [], neutral: [], negative: [], unscored: [] },
  };
  for (let bucket = Math.floor(since / step) * step; bucket < until; bucket += step) {
    const point = byBucket.get(bucket);
    columns.times.push(bucket / 1000);
    const mean = point?.meanCompound;
    columns.meanCompound.push(typeof mean === 'number' && Number.isFinite(mean) ? mean : null);
    columns.posts.push(point?.posts ?? 0);
    for (const label of LABELS) columns.labels[label].push(point?.labels?.[label] ?? 0);
  }
  return columns;
}

/** Order in which the volume bars stack, bottom first. */
export const STACK_ORDER: readonly SentimentLabel[] = ['positive', 'neutral', 'negative', 'unscored'];

/**
 * Running sums for a stacked bar chart, top layer first: uPlot draws series in order, so each
 * later (shorter) bar is painted over the earlier one and the layers appear stacked.
 */
export function stackedColumns(columns: TimelineColumns): Array<{ label: SentimentLabel; values: number[] }> {
  const layers: Array<{ label: SentimentLabel; values: number[] }> = [];
  let running = columns.times.map(() => 0);
  for (const label of STACK_ORDER) {
    running = running.map((sum, index) => sum + columns.labels[label][index]);
    layers.push({ label, values: running });
  }
  return layers.reverse();
}
