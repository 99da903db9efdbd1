/**
 * Fault injection for the replay server: upstream failures Jetstream consumers meet in
 * production (TCP dropped without a close frame, a silent or frozen socket, connection resets,
 * malformed frames), expressed as replay hooks.
 */
import { createServer, type AddressInfo } from 'node:net';
import type { ReplayConnection, ReplayHooks } from '../../src/firehose/replay-server.ts';

export interface FaultPlan {
  /** Destroys the TCP socket without a close frame each time this many more events were sent. */
  dropEvery?: number;
  /** After this many events in total, the connection stops sending but still answers pings. */
  silenceAfter?: number;
  /** After this many events in total, the connection stops reading and writing (pings go unanswered). */
  freezeAfter?: number;
  /** Sends one malformed frame before every Nth event. */
  malformedEvery?: number;
  /** Resets (TCP RST) this many connections right after they open. */
  resetConnections?: number;
}

export interface FaultCounters {
  drops: number;
  silenced: number;
  frozen: number;
  malformed: number;
  resets: number;
  /** Events written over all connections. */
  sent: number;
}

/**
 * Frames a consumer must drop without closing the connection: broken JSON, wrong types, a
 * binary frame of random bytes, invalid UTF-8, a record without text.
 */
export function malformedFrame(number: number, timeUs: number): { payload: Buffer | string; binary: boolean } {
  const frames: Array<{ payload: Buffer | string; binary: boolean }> = [
    { payload: '{"did":"did:plc:broken","time_us":17', binary: false },
    { payload: Buffer.from(Array.from({ length: 200 }, (_, index) => (index * 97 + number) % 256)), binary: true },
    { payload: '[1,2,3]', binary: false },
    { payload: JSON.stringify({ did: 42, time_us: 'soon', kind: 'commit' }), binary: false },
    { payload: Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x7d]), binary: false },
    // A well-formed envelope whose post has no text: dropped, but its time_us still counts.
    // One microsecond before the next real event keeps time strictly increasing.
    {
      payload: JSON.stringify({
        did: 'did:plc:notext',
        time_us: timeUs - 1,
        kind: 'commit',
        commit: { rev: 'r', operation: 'create', collection: 'app.bsky.feed.post', rkey: `3knotext${number}`, record: { $type: 'app.bsky.feed.post', createdAt: '2025-01-01T00:00:00Z' } },
      }),
      binary: false,
    },
  ];
  return frames[number % frames.length]!;
}

/** Replay hooks that carry out `plan`, and counters of what was done. */
export function faultHooks(plan: FaultPlan, extra: ReplayHooks = {}): { hooks: ReplayHooks; counters: FaultCounters } {
  const counters: FaultCounters = { drops: 0, silenced: 0, frozen: 0, malformed: 0, resets: 0, sent: 0 };
  let nextDropAt = plan.dropEvery ?? Infinity;

  const hooks: ReplayHooks = {
    onConnection(connection: ReplayConnection) {
      extra.onConnection?.(connection);
      if (counters.resets < (plan.resetConnections ?? 0)) {
        counters.resets += 1;
        connection.silence();
        connection.socket.resetAndDestroy();
      }
    },
    beforeEvent(connection, event) {
      if (extra.beforeEvent?.(connection, event) === false) return false;
      if (counters.sent >= nextDropAt) {
        nextDropAt += plan.dropEvery!;
        counters.drops += 1;
        connection.drop();
        return false;
      }
      if (plan.silenceAfter !== undefined && counters.silenced === 0 && counters.sent >= plan.silenceAfter) {
        counters.silenced += 1;
        connection.silence();
        return false;
      }
      if (plan.freezeAfter !== undefined && counters.frozen === 0 && counters.sent >= plan.freezeAfter) {
        counters.frozen += 1;
        connection.freeze();
        return false;
      }
      if (plan.malformedEvery !== undefined && counters.sent % plan.malformedEvery === plan.malformedEvery - 1) {
        const frame = malformedFrame(counters.malformed, event.timeUs);
        counters.malformed += 1;
        connection.sendFrame(frame.payload, frame.binary);
      }
      counters.sent += 1;
      return true;
    },
    onClose: extra.onClose,
  };
  return { hooks, counters };
}

/** Finds a TCP port that was free a moment ago; nothing listens on it when this resolves. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `condition` every 10 ms until it is true; rejects with `message` after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, message: string | (() => string)): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${typeof message === 'function' ? message() : message}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves like `promise`, or rejects naming `label` when it takes longer than `timeoutMs`. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, label: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms: ${label}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
