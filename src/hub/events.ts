/**
 * The event vocabulary shared by the hub, the Socket.IO server and the dashboard. The browser
 * bundle imports these types, so this file must stay free of runtime imports.
 */
import type { Sentiment, SentimentLabel } from '../sentiment/types.ts';

export type { Sentiment, SentimentLabel };

/** One post in the shape used everywhere: HTTP API, Socket.IO and exports. */
export interface Post {
  /** AT-URI, `at://<did>/app.bsky.feed.post/<rkey>`. */
  uri: string;
  did: string;
  text: string;
  /** Language tags declared by the author; empty when none were given. */
  langs: string[];
  /** `createdAt` from the record as the author's client wrote it (ISO 8601), or null. */
  createdAt: string | null;
  /** When Jetstream saw the event (its `time_us`), as ISO 8601 with milliseconds. */
  indexedAt: string;
  sentiment: Sentiment;
}

/** A post with the fields the store needs beyond the public shape. */
export interface PostRecord extends Post {
  rkey: string;
  /** Jetstream `time_us` of the event that created or last updated the post. */
  timeUs: number;
  isReply: boolean;
  isQuote: boolean;
}

/** What one upstream event asks the service to do, after parsing, validation and scoring. */
export type IngestEffect =
  | { kind: 'upsert'; operation: 'create' | 'update'; post: PostRecord }
  | { kind: 'delete'; uri: string; did: string; timeUs: number }
  | { kind: 'account-removed'; did: string; status: string; timeUs: number };

/** A batch of effects and the cursor that covers them; the store commits both together. */
export interface IngestBatch {
  effects: IngestEffect[];
  /** `time_us` of the last upstream event covered by this batch (including ignored events). */
  cursor: number;
  /** Upstream events this batch covers, including ignored and dropped ones. */
  eventCount: number;
}

/** Counts of posts by label. */
export type LabelCounts = Record<SentimentLabel, number>;

/** State of the upstream Jetstream connection, as shown in `/api/stats`. */
export interface FirehoseStatus {
  connected: boolean;
  /** Endpoint in use or being tried, or null before the first attempt. */
  endpoint: string | null;
  /** Stored `time_us` cursor, or null before the first commit. */
  cursor: number | null;
  /** Seconds between now and the `time_us` of the last event received, or null. */
  lagSeconds: number | null;
  /** Time of the last event received, ISO 8601, or null. */
  lastEventAt: string | null;
  reconnects: number;
  eventsReceived: number;
  /** Dropped events by reason. */
  dropped: Record<string, number>;
  /** Ignored events (other collections, unknown kinds) by reason. */
  ignored: Record<string, number>;
  /** Events parsed and waiting to be scored and written. */
  queueDepth: number;
  /** Whether reading from the socket is paused because the queue is full. */
  paused: boolean;
  /** Whether frames arrive zstd-compressed. */
  compressed: boolean;
}

/** Label counts and mean compound of one time window. */
export interface WindowStats {
  posts: number;
  labels: LabelCounts;
  /** Mean compound of scored posts, or null when the window has none. */
  meanCompound: number | null;
}

/** The statistics snapshot served by `/api/stats` and the `stats` Socket.IO event. */
export interface StatsSnapshot {
  /** Version of this snapshot's format; raised when a field changes meaning or is removed. */
  version: 1;
  serviceVersion: string;
  runtime: 'node' | 'deno';
  startedAt: string;
  uptimeSeconds: number;
  generatedAt: string;
  /** Posts stored now, by label. */
  totals: LabelCounts & { posts: number };
  rates: { postsPerSecond: number };
  windows: { minute: WindowStats; hour: WindowStats; sinceStart: WindowStats };
  /** Posts by primary language (`und` when none), per window. */
  languages: { minute: Record<string, number>; hour: Record<string, number>; sinceStart: Record<string, number> };
  firehose: FirehoseStatus;
  /** Dashboards connected now (over all processes when Redis is used). */
  clients: number;
  ingest: boolean;
}

/** An operator message shown on every dashboard. */
export interface Announcement {
  id: string;
  message: string;
  level: 'info' | 'warning';
  createdAt: string;
}

/** Events carried by the in-process hub. */
export interface HubEvents {
  /** Parsed and scored upstream events; the store commits them (publishing waits for it). */
  batch: IngestBatch;
  /** A batch whose effects are durable; statistics and Socket.IO consume it. */
  committed: IngestBatch;
  /** Upstream connection state changed. */
  firehose: FirehoseStatus;
  announcement: Announcement;
}
