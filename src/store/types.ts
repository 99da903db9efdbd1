/**
 * The store's query API, read by the HTTP routes and the dashboard's first load. Times are
 * milliseconds since the epoch unless a name says otherwise.
 */
import type { LabelCounts, Post, SentimentLabel } from '../hub/events.ts';

export interface PostQuery {
  label?: SentimentLabel;
  /** Primary language subtag such as `en` or `ja`; `und` selects posts without langs. */
  language?: string;
  /**
   * Full-text search over post text: words (all must match), `"phrases"`, `prefix*`, `OR`
   * between alternatives and `-word` to exclude. Any other character is searched as text.
   */
  keyword?: string;
  /** Inclusive lower bound on the Jetstream time of the post. */
  since?: number;
  /** Exclusive upper bound on the Jetstream time of the post. */
  until?: number;
  limit: number;
  /** Opaque keyset cursor from a previous page's `next`. */
  cursor?: string;
}

/** One page of posts, newest first; `next` fetches the following page, or null at the end. */
export interface PostPage {
  posts: Post[];
  next: string | null;
}

export interface TopPostsQuery {
  since: number;
  until?: number;
  limit: number;
  language?: string;
}

export interface TopPosts {
  positive: Post[];
  negative: Post[];
}

export type Resolution = 'minute' | 'hour' | 'day';

export interface TimeseriesQuery {
  resolution: Resolution;
  since: number;
  until: number;
}

/** One bucket of the roll-up series. */
export interface TimeseriesPoint {
  /** Start of the bucket, ISO 8601 (UTC). */
  time: string;
  posts: number;
  labels: LabelCounts;
  /** Mean compound of scored posts in the bucket, or null when none were scored. */
  meanCompound: number | null;
  /** Posts by primary language. */
  languages: Record<string, number>;
}

/** Export of stored posts, oldest first by (Jetstream time, rowid). */
export interface ExportQuery {
  since?: number;
  until?: number;
  label?: SentimentLabel;
  /** Primary language subtag; `und` selects posts without langs. */
  language?: string;
  /** Rows fetched per round trip (1 to 10,000). @default 1000 */
  pageSize?: number;
}

/** Posts stored now, in total and by label. */
export type PostTotals = LabelCounts & { posts: number };

/**
 * The read API of the store. Bad input (unknown label, malformed cursor or keyword, a series
 * with too many buckets) rejects with a `StoreError` whose code starts with `INVALID_` or is
 * `RANGE_TOO_LARGE`. `isStoreInputError` in `src/store/errors.ts` separates those from
 * database failures.
 */
export interface StoreQueries {
  /** Newest first by (Jetstream time, rowid); `limit` from 1 to 1000. */
  listPosts(query: PostQuery): Promise<PostPage>;
  /** Highest-compound positive and lowest-compound negative posts in the window. */
  topPosts(query: TopPostsQuery): Promise<TopPosts>;
  /** Buckets overlapping [since, until), empty ones included; at most 20,160 buckets. */
  timeseries(query: TimeseriesQuery): Promise<TimeseriesPoint[]>;
  /** Counts from the database (the in-memory `totals()` of the store is the cheap copy). */
  labelTotals(): Promise<PostTotals>;
  /** Distinct posts stored now. */
  countPosts(): Promise<number>;
  /** Posts oldest first, read from the database `pageSize` rows at a time as the caller iterates. */
  exportPosts(query: ExportQuery): AsyncIterable<Post>;
}
