/**
 * Socket.IO events between the server and the dashboard. The browser bundle imports this file,
 * so it holds types only. Payload shapes reuse the hub's `Post` and `StatsSnapshot`.
 */
import type { Announcement, Post, SentimentLabel, StatsSnapshot } from '../hub/events.ts';

/** A batch of posts for the main feed, sent once per broadcast tick. */
export interface PostBatchMessage {
  posts: Post[];
  /** Server time when the batch was sent, ms since the epoch. */
  sentAt: number;
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
}

export interface ClientToServerEvents {
  track: (request: TrackRequest, ack: (result: Ack<{ term: string }>) => void) => void;
  untrack: (request: TrackRequest, ack: (result: Ack<{ term: string }>) => void) => void;
  filter: (filter: FeedFilter, ack: (result: Ack<{ filter: FeedFilter }>) => void) => void;
}
