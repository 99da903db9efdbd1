/**
 * Sends a capture to one replay client: writes pre-framed WebSocket frames straight to the TCP
 * socket in chunks, waits for `drain` when the client reads slower than we write, and paces
 * events by their `time_us` unless the speed is `max`.
 */
import type { Socket } from 'node:net';
import type { CaptureEvent } from './capture.ts';

/** One event as offered to hooks: its position in the capture and its (shifted) time. */
export interface ReplayEventInfo {
  /** Index of the event in the capture. */
  index: number;
  /** Pass over the capture, from 0; above 0 only with `loop`. */
  iteration: number;
  timeUs: number;
}

/** Subscription parameters of a client's `/subscribe` request. */
export interface SubscribeRequest {
  cursor: number | null;
  wantedCollections: string[];
  wantedDids: string[];
  /** Events larger than this many bytes are skipped; 0 means no limit. */
  maxMessageSizeBytes: number;
}

export interface ReplayStreamOptions {
  events: readonly CaptureEvent[];
  request: SubscribeRequest;
  /** Multiple of the capture's original pace, or `max` to send as fast as the client reads. */
  speed: number | 'max';
  loop: boolean;
  socket: Socket;
  /** Encodes one event payload as a complete WebSocket frame. */
  frame(payload: Buffer): Buffer;
  /** Called before each event is sent; returning false stops sending on this connection. */
  beforeEvent(event: ReplayEventInfo): boolean;
  now: () => number;
}

export interface ReplayStream {
  start(): void;
  /** Stops sending; the socket stays as it is. */
  stop(): void;
  /** Adds a frame in order with the events (or writes it at once when idle). */
  inject(frame: Buffer): void;
  readonly sent: number;
  /** Whether every event has been sent and the stream now idles like a live tail. */
  readonly caughtUp: boolean;
}

/** Bytes gathered before one socket write; large enough to keep per-write cost negligible. */
const CHUNK_BYTES = 256 * 1024;

function lowerBound(events: readonly CaptureEvent[], timeUs: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle]!.timeUs < timeUs) low = middle + 1;
    else high = middle;
  }
  return low;
}

function collectionMatches(collection: string, wanted: readonly string[]): boolean {
  return wanted.some((pattern) => (pattern.endsWith('.*') ? collection.startsWith(pattern.slice(0, -1)) : collection === pattern));
}

export function createReplayStream(options: ReplayStreamOptions): ReplayStream {
  const { events, request, socket } = options;
  const first = events[0]?.timeUs ?? 0;
  // Each pass of a looped capture is shifted by its span plus 1 ms, so time keeps increasing.
  const span = events.length > 0 ? events[events.length - 1]!.timeUs - first + 1000 : 0;
  const wantedDids = new Set(request.wantedDids);

  let iteration = 0;
  let index = 0;
  if (request.cursor !== null && events.length > 0) {
    if (options.loop && request.cursor > first) iteration = Math.floor((request.cursor - first) / span);
    index = lowerBound(events, request.cursor - iteration * span);
  }

  let stopped = false;
  let writing = false;
  let caughtUp = false;
  let sent = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: Buffer[] | null = null;
  let startWallMs = 0;
  let startTimeUs = 0;

  const timeOf = (position: number) => events[position]!.timeUs + iteration * span;

  function wanted(event: CaptureEvent): boolean {
    if (wantedDids.size > 0 && !wantedDids.has(event.did)) return false;
    if (request.maxMessageSizeBytes > 0 && event.payload.length > request.maxMessageSizeBytes) return false;
    // Identity and account events are delivered regardless of the collection filter.
    if (event.collection === null || request.wantedCollections.length === 0) return true;
    return collectionMatches(event.collection, request.wantedCollections);
  }

  function payloadOf(event: CaptureEvent): Buffer {
    if (iteration === 0) return event.payload;
    const text = event.payload.toString('utf8').replace(`"time_us":${event.timeUs}`, `"time_us":${event.timeUs + iteration * span}`);
    return Buffer.from(text, 'utf8');
  }

  function pump(): void {
    timer = null;
    if (stopped || writing || socket.destroyed) return;
    const chunk: Buffer[] = [];
    pending = chunk;
    let bytes = 0;
    let waitMs = 0;

    while (!stopped && bytes < CHUNK_BYTES) {
      if (index >= events.length) {
        if (!options.loop || events.length === 0) {
          caughtUp = true;
          break;
        }
        iteration += 1;
        index = 0;
      }
      const timeUs = timeOf(index);
      if (options.speed !== 'max') {
        const dueMs = startWallMs + (timeUs - startTimeUs) / 1000 / options.speed;
        const nowMs = options.now();
        if (dueMs > nowMs) {
          waitMs = dueMs - nowMs;
          break;
        }
      }
      const event = events[index]!;
      const position = index;
      index += 1;
      if (!wanted(event)) continue;
      if (!options.beforeEvent({ index: position, iteration, timeUs }) || socket.destroyed) {
        stopped = true;
        break;
      }
      const frame = options.frame(payloadOf(event));
      chunk.push(frame);
      bytes += frame.length;
      sent += 1;
    }
    pending = null;

    const more = !stopped && !caughtUp;
    if (chunk.length > 0 && !socket.destroyed) {
      const flushed = socket.write(chunk.length === 1 ? chunk[0]! : Buffer.concat(chunk));
      if (!flushed) {
        writing = true;
        socket.once('drain', () => {
          writing = false;
          if (more) schedule(waitMs);
        });
        return;
      }
    }
    if (more) schedule(waitMs);
  }

  function schedule(waitMs: number): void {
    if (stopped || timer !== null) return;
    // setTimeout(0) rather than a tight loop lets pings, closes and other clients get a turn.
    timer = setTimeout(pump, Math.max(0, Math.ceil(waitMs)));
  }

  return {
    start() {
      startWallMs = options.now();
      startTimeUs = index < events.length ? timeOf(index) : 0;
      pump();
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
    inject(frame) {
      if (pending) pending.push(frame);
      else if (!socket.destroyed) socket.write(frame);
    },
    get sent() {
      return sent;
    },
    get caughtUp() {
      return caughtUp;
    },
  };
}
