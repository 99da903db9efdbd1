/** Counters and state of the consumer, in the `FirehoseStatus` shape served by `/api/stats`. */
import type { FirehoseStatus } from '../hub/events.ts';
import type { ConnectionState } from './upstream-connection.ts';

export interface StatusTracker {
  /** Counts one frame received from the upstream. */
  received(timeUs: number | null): void;
  dropped(reason: string): void;
  ignored(reason: string): void;
  committed(cursor: number): void;
  connection(state: ConnectionState): void;
  queue(depth: number, paused: boolean): void;
  compressed(value: boolean): void;
  snapshot(): FirehoseStatus;
  /** Connection state as last reported. */
  readonly connectionState: ConnectionState | null;
}

export function createStatusTracker(initialCursor: number | null, now: () => number): StatusTracker {
  let connectionState: ConnectionState | null = null;
  let cursor = initialCursor;
  let lastEventTimeUs: number | null = null;
  let eventsReceived = 0;
  let queueDepth = 0;
  let paused = false;
  let compressed = false;
  const dropped: Record<string, number> = {};
  const ignored: Record<string, number> = {};

  return {
    received(timeUs) {
      eventsReceived += 1;
      if (timeUs !== null && (lastEventTimeUs === null || timeUs > lastEventTimeUs)) lastEventTimeUs = timeUs;
    },
    dropped(reason) {
      dropped[reason] = (dropped[reason] ?? 0) + 1;
    },
    ignored(reason) {
      ignored[reason] = (ignored[reason] ?? 0) + 1;
    },
    committed(value) {
      cursor = value;
    },
    connection(state) {
      connectionState = state;
    },
    queue(depth, isPaused) {
      queueDepth = depth;
      paused = isPaused;
    },
    compressed(value) {
      compressed = value;
    },
    snapshot() {
      const lastEventMs = lastEventTimeUs === null ? null : Math.floor(lastEventTimeUs / 1000);
      return {
        connected: connectionState?.connected ?? false,
        endpoint: connectionState?.endpoint ?? null,
        cursor,
        // Upstream clocks can run ahead of ours by a little; a negative lag would only confuse.
        lagSeconds: lastEventMs === null ? null : Math.max(0, (now() - lastEventMs) / 1000),
        lastEventAt: lastEventMs === null ? null : new Date(lastEventMs).toISOString(),
        reconnects: connectionState?.reconnects ?? 0,
        eventsReceived,
        dropped: { ...dropped },
        ignored: { ...ignored },
        queueDepth,
        paused,
        compressed,
      };
    },
    get connectionState() {
      return connectionState;
    },
  };
}
