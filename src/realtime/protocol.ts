/**
 * Socket.IO events between the server and the dashboard. The browser bundle imports this file,
 * so it holds types only. Payload shapes reuse the hub's `Post` and `StatsSnapshot`.
 */
import type { Announcement, Post, SentimentLabel, StatsSnapshot } from '../hub/events.ts';

/** A batch of posts for the main feed, sent once per broadcast tick. */
export interface PostBatchMessage {
  /** Posts in order of arrival; a representative subset when `sampled` is true. */
  posts: Post[];
  /** Server time when the batch was sent, ms since the epoch. */
  sentAt: number;
  /** Posts that matched since the previous batch of this stream; equals `posts.length` unless sampled. */
  total: number;
  /** True when the per-client rate cap left posts out of this batch (`total - posts.length` of them). */
  sampled: boolean;
}

/** A batch of posts matching one tracked term. */
export interface TrackedBatchMessage extends PostBatchMessage {
  /** Canonical term, such as `keyword:climate`, `hashtag:art` or `language:ja`. */
  term: string;
}

/** What a client asks to follow: a keyword, a hashtag (without `#`) or a language subtag. */
export interface TrackRequest {
  kind: 'keyword' | 'hashtag' | 'language';
  value: string;
}

/** Labels and languages the main feed keeps; empty or missing means all. */
export interface FeedFilter {
  labels?: SentimentLabel[];
  languages?: string[];
}

/** Acknowledgement of a client request: success with details, or an error message. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: string };

export interface ServerToClientEvents {
  posts: (message: PostBatchMessage) => void;
  tracked: (message: TrackedBatchMessage) => void;
  /** AT-URIs of posts deleted upstream, so open feeds can remove them. */
  deleted: (message: { uris: string[] }) => void;
  stats: (snapshot: StatsSnapshot) => void;
  announcement: (announcement: Announcement) => void;
  /** Posts edited upstream, with their new text and sentiment, so open feeds can replace them. */
  updated: (message: { posts: Post[]; sentAt: number }) => void;
  /**
   * Notice that the server skipped messages for this client between `from` and `to` (ms since
   * the epoch) because its connection could not keep up. `/api/posts?since=&until=` returns
   * what was missed.
   */
  lagged: (message: { from: number; to: number }) => void;
  /** Sent after every connect: the state the server holds for this client and its limits. */
  session: (message: SessionMessage) => void;
}

/** What the server remembers about a client; `recovered` is true after a recovered reconnect. */
export interface SessionMessage {
  recovered: boolean;
  /** Canonical tracked terms, such as `keyword:climate`. */
  terms: string[];
  filter: FeedFilter;
  limits: {
    /** Terms one client may track at once. */
    maxTerms: number;
    /** Main-feed posts per second at most; further posts are sampled out. */
    maxPostsPerSecond: number;
    /** Posts per second at most for each tracked term. */
    maxTrackedPostsPerSecond: number;
    /** Interval between post batches, in ms. */
    tickMs: number;
  };
}

export interface ClientToServerEvents {
  track: (request: TrackRequest, ack: (result: Ack<{ term: string }>) => void) => void;
  untrack: (request: TrackRequest, ack: (result: Ack<{ term: string }>) => void) => void;
  filter: (filter: FeedFilter, ack: (result: Ack<{ filter: FeedFilter }>) => void) => void;
}
