/**
 * The replay tool (`src/firehose/replay-server.ts`) run inside the harness, so the harness can
 * record the moment each frame leaves it. The `beforeEvent` hook runs in the same tick as the
 * socket write that sends the frame. Send times of post creates are kept by AT-URI on the shared wall
 * clock, for the clients to compute end-to-end latency.
 */
import { createServer } from 'node:net';
import { readCapture, type CaptureEvent } from '../../src/firehose/capture.ts';
import { startReplayServer, type ReplayServer } from '../../src/firehose/replay-server.ts';
import { postUriOf } from './events.ts';
import { wallClockMs } from './wall-clock.ts';

/** A capture loaded once, with the AT-URI of each post create (null for other events). */
export interface LoadedCapture {
  events: CaptureEvent[];
  createUris: Array<string | null>;
}

const loaded = new Map<string, LoadedCapture>();

export function loadCapture(path: string): LoadedCapture {
  const cached = loaded.get(path);
  if (cached) return cached;
  const { events, skippedLines } = readCapture(path);
  if (skippedLines > 0) throw new Error(`${path} has ${skippedLines} lines that are not Jetstream events; the benchmark needs a clean capture.`);
  const createUris = events.map((event) => {
    const parsed = JSON.parse(event.payload.toString('utf8')) as { commit?: { operation?: string } };
    return parsed.commit?.operation === 'create' ? postUriOf(parsed) : null;
  });
  const capture = { events, createUris };
  loaded.set(path, capture);
  return capture;
}

/** Returns the first `count` events of a capture. */
export function sliceCapture(capture: LoadedCapture, count: number): LoadedCapture {
  return { events: capture.events.slice(0, count), createUris: capture.createUris.slice(0, count) };
}

export interface BenchReplayOptions {
  capture: LoadedCapture;
  /** Multiple of the original pace, or `max` for as fast as the client reads. */
  speed: number | 'max';
  loop?: boolean;
  /** Port to listen on; a port from `reserveFreePort()` lets the service be started first. */
  port?: number;
  /** Keep send times of post creates for `takeSendTimes()`. */
  recordSendTimes?: boolean;
}

export interface BenchReplay {
  readonly server: ReplayServer;
  /** Wall-clock time at which the first client connected, or null. */
  readonly firstConnectionMs: number | null;
  /** Events sent over all connections. */
  readonly sent: number;
  /** Send times recorded since the last call, as [AT-URI, ms] pairs. */
  takeSendTimes(): Array<[string, number]>;
  close(): Promise<void>;
}

export async function startBenchReplay({ capture, speed, loop = false, port, recordSendTimes = false }: BenchReplayOptions): Promise<BenchReplay> {
  let firstConnectionMs: number | null = null;
  let sent = 0;
  let sendTimes: Array<[string, number]> = [];
  const server = await startReplayServer({
    events: capture.events,
    speed,
    loop,
    port,
    hooks: {
      onConnection() {
        firstConnectionMs ??= wallClockMs();
      },
      beforeEvent(_connection, event) {
        sent++;
        if (!recordSendTimes) return;
        const uri = capture.createUris[event.index];
        if (uri) sendTimes.push([uri, wallClockMs()]);
      },
    },
  });
  return {
    server,
    get firstConnectionMs() {
      return firstConnectionMs;
    },
    get sent() {
      return sent;
    },
    takeSendTimes() {
      const taken = sendTimes;
      sendTimes = [];
      return taken;
    },
    close: () => server.close(),
  };
}

/**
 * Finds a TCP port on 127.0.0.1 that was free a moment ago. The service is pointed at it before
 * the replay server listens there, so clients can connect before any event flows. Meanwhile the
 * consumer retries until the replay server is up.
 */
export function reserveFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Posts per second of a capture at its original pace (creates over the time it spans). */
export function originalPostRate(capture: LoadedCapture): number {
  const creates = capture.createUris.filter((uri) => uri !== null).length;
  const first = capture.events[0]!.timeUs;
  const last = capture.events[capture.events.length - 1]!.timeUs;
  return creates / ((last - first) / 1e6);
}
