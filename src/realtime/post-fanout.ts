/**
 * Turns committed batches into per-room post batches, sent when the broadcast scheduler runs. Each room's
 * batch is emitted once to the room (Socket.IO encodes it once for all its members), never per
 * client. Runs only where posts originate: the ingesting process.
 */
import type { IngestBatch, Post, PostRecord } from '../hub/events.ts';
import type { PostBatchMessage, ServerToClientEvents, TrackedBatchMessage } from './protocol.ts';
import type { CounterSet } from './counters.ts';
import { PostMatcher } from './post-matcher.ts';
import { RecentUris } from '../hub/recent-uris.ts';
import type { RoomDirectory } from './room-directory.ts';
import { RoomStream } from './room-stream.ts';
import { TRACK_ROOM_PREFIX } from './terms.ts';

/** Creates remembered to drop a second delivery of the same post (cursor rewind on reconnect). */
const RECENT_URIS_LIMIT = 20_000;
/** Maximum deleted URIs in one send; a catch-up can replay thousands. */
export const MAX_DELETED_PER_SEND = 1000;
/** Maximum edited posts in one send. */
export const MAX_UPDATED_PER_SEND = 200;

type Event = keyof ServerToClientEvents;

/** Emits `message` to `room`, or to every client when `room` is null. */
export type RoomSender = <E extends Event>(room: string | null, event: E, message: Parameters<ServerToClientEvents[E]>[0]) => void;

export interface PostFanoutOptions {
  directory: RoomDirectory;
  send: RoomSender;
  counters: CounterSet;
  /** Posts per second at most for each feed room. */
  feedRate: number;
  /** Posts per second at most for each track room. */
  trackedRate: number;
  now: () => number;
  random?: () => number;
  /** Rooms matched even when no member is known, such as `feed:all` while other processes report in. */
  permanentRooms?: readonly string[];
}

export class PostFanout {
  readonly #options: PostFanoutOptions;
  readonly #streams = new Map<string, RoomStream<PostRecord>>();
  readonly #recent = new RecentUris<true>(RECENT_URIS_LIMIT);
  #matcher: PostMatcher | null = null;
  #matcherVersion = -1;
  #sequence = 0;
  #deleted: string[] = [];
  #updated: Post[] = [];

  constructor(options: PostFanoutOptions) {
    this.#options = options;
  }

  /** Queues the posts, edits and deletes of a committed batch for the next send. */
  accept(batch: IngestBatch): void {
    const matcher = this.#currentMatcher();
    for (const effect of batch.effects) {
      if (effect.kind === 'delete') {
        if (!matcher.empty) this.#queueLimited(this.#deleted, effect.uri, MAX_DELETED_PER_SEND);
        continue;
      }
      if (effect.kind !== 'upsert') continue;
      if (effect.operation === 'update') {
        if (!matcher.empty) this.#queueLimited(this.#updated, publicPost(effect.post), MAX_UPDATED_PER_SEND);
        continue;
      }
      // A create seen before is a second delivery of the same post, not a new one.
      if (!this.#recent.add(effect.post.uri, true) || matcher.empty) continue;
      this.#route(effect.post, matcher);
    }
  }

  /**
   * Sends what every room may send now. Returns when posts held back by a room's rate cap may
   * be sent, or null when nothing waits.
   */
  flush(): number | null {
    const now = this.#options.now();
    const { send, counters } = this.#options;
    this.#currentMatcher();

    let nextAt: number | null = null;
    for (const [room, stream] of this.#streams) {
      const batch = stream.take(now);
      if (!batch) {
        const readyAt = stream.readyAt(now);
        if (readyAt !== null && (nextAt === null || readyAt < nextAt)) nextAt = readyAt;
        continue;
      }
      const sampled = batch.posts.length < batch.total;
      counters.countDropped('sampled', batch.total - batch.posts.length);
      const message: PostBatchMessage = { posts: batch.posts.map(publicPost), sentAt: now, total: batch.total, sampled };
      if (room.startsWith(TRACK_ROOM_PREFIX)) {
        const tracked: TrackedBatchMessage = { ...message, term: room.slice(TRACK_ROOM_PREFIX.length) };
        send(room, 'tracked', tracked);
      } else {
        send(room, 'posts', message);
      }
    }

    if (this.#updated.length > 0) {
      send(null, 'updated', { posts: this.#updated, sentAt: now });
      this.#updated = [];
    }
    if (this.#deleted.length > 0) {
      send(null, 'deleted', { uris: this.#deleted });
      this.#deleted = [];
    }
    return nextAt;
  }

  /** Posts waiting in room streams, for tests and diagnostics. */
  pending(): number {
    let count = 0;
    for (const stream of this.#streams.values()) count += stream.pending;
    return count;
  }

  #route(record: PostRecord, matcher: PostMatcher): void {
    const rooms = matcher.match(record);
    if (rooms.feed.length === 0 && rooms.tracked.length === 0) return;
    // Streams keep the record and make its public form only when it is sent: during a catch-up
    // most posts are sampled out by the rate cap.
    const sequence = this.#sequence++;
    for (const room of rooms.feed) this.#stream(room, this.#options.feedRate).offer(record, sequence);
    for (const room of rooms.tracked) this.#stream(room, this.#options.trackedRate).offer(record, sequence);
  }

  #stream(room: string, rate: number): RoomStream<PostRecord> {
    let stream = this.#streams.get(room);
    if (!stream) {
      stream = new RoomStream<PostRecord>(rate, this.#options.now(), this.#options.random);
      this.#streams.set(room, stream);
    }
    return stream;
  }

  #queueLimited<T>(queue: T[], item: T, limit: number): void {
    if (queue.length < limit) queue.push(item);
    else this.#options.counters.countDropped('overflow');
  }

  /** The matcher for the current room set; streams of rooms that are gone are dropped. */
  #currentMatcher(): PostMatcher {
    const { directory } = this.#options;
    if (this.#matcher && this.#matcherVersion === directory.version) return this.#matcher;
    const rooms = new Set([...directory.rooms(), ...(this.#options.permanentRooms ?? [])]);
    this.#matcher = new PostMatcher(rooms);
    this.#matcherVersion = directory.version;
    for (const room of this.#streams.keys()) if (!rooms.has(room)) this.#streams.delete(room);
    return this.#matcher;
  }
}

/** The public shape of a post: what the HTTP API returns, without the store's own fields. */
export function publicPost(record: PostRecord): Post {
  const { uri, did, text, langs, createdAt, indexedAt, sentiment } = record;
  return { uri, did, text, langs, createdAt, indexedAt, sentiment };
}
