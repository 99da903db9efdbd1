/**
 * The store's query API, read by the HTTP routes and the dashboard's first load. Times are
 * milliseconds since the epoch unless a name says otherwise.
 */
import type { LabelCounts, Post, SentimentLabel } from '../hub/events.ts';

export interface PostQuery {
  label?: SentimentLabel;
  /** Primary language subtag such as `en` or `ja`; `und` selects posts without langs. */
  language?: string;
  /** FTS5 full-text keyword query over post text. */
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

export interface ExportQuery {
  since?: number;
  until?: number;
  /** Rows fetched per round trip. */
  pageSize?: number;
}
