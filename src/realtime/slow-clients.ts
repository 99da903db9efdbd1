/**
 * Watches each client's send buffer. A client above the limit is marked slow, and broadcasts
 * skip it, so its buffer stops growing. One that drains to half the limit is unmarked and gets
 * a `lagged` message naming the time it missed. One that has not drained to half the limit
 * within the stall time has its transport closed, which frees its buffers. The Socket.IO
 * client then reconnects by itself.
 */
import { rateLimited, type Logger } from '../log/logger.ts';
import type { CounterSet } from './counters.ts';

/** One connected client, as the monitor sees it. */
export interface MonitoredClient {
  readonly id: string;
  /** Bytes queued for the client and not yet handed to the kernel. */
  bufferedBytes(): number;
  markSlow(): void;
  unmarkSlow(): void;
  /** Tells the client it missed messages between `from` and `to`. */
  notifyLagged(from: number, to: number): void;
  /** Closes the underlying transport at once, dropping whatever is queued. */
  terminate(): void;
}

export interface SlowClientMonitorOptions {
  limitBytes: number;
  stallMs: number;
  now: () => number;
  counters: CounterSet;
  logger: Logger;
}

interface SlowState {
  since: number;
}

export class SlowClientMonitor {
  readonly #options: SlowClientMonitorOptions;
  readonly #slow = new Map<string, SlowState>();
  readonly #warn = rateLimited(10, 60_000);

  constructor(options: SlowClientMonitorOptions) {
    this.#options = options;
  }

  /** Clients marked slow now. */
  get slowCount(): number {
    return this.#slow.size;
  }

  isSlow(id: string): boolean {
    return this.#slow.has(id);
  }

  /** Checks every client once; call it at a fixed interval. */
  check(clients: Iterable<MonitoredClient>): void {
    const { limitBytes, stallMs, now, counters, logger } = this.#options;
    const time = now();
    let largest = 0;

    for (const client of clients) {
      const bytes = client.bufferedBytes();
      largest = Math.max(largest, bytes);
      const state = this.#slow.get(client.id);

      if (!state) {
        if (bytes <= limitBytes) continue;
        this.#slow.set(client.id, { since: time });
        client.markSlow();
        this.#warn((suppressed) => logger.warn({ socketId: client.id, bufferedBytes: bytes, limitBytes, suppressed }, 'client too slow; skipping broadcasts to it'));
        continue;
      }

      if (bytes <= limitBytes / 2) {
        this.#slow.delete(client.id);
        client.unmarkSlow();
        client.notifyLagged(state.since, time);
        logger.info({ socketId: client.id, bufferedBytes: bytes, slowMs: time - state.since }, 'slow client caught up');
        continue;
      }

      if (time - state.since >= stallMs) {
        this.#slow.delete(client.id);
        counters.slowDisconnects += 1;
        this.#warn((suppressed) => logger.warn({ socketId: client.id, bufferedBytes: bytes, stalledMs: time - state.since, suppressed }, 'disconnecting stalled client'));
        client.terminate();
      }
    }

    counters.maxBufferedBytes = largest;
    counters.slowClients = this.#slow.size;
  }

  /** Drops the state of a client that disconnected. */
  forget(id: string): void {
    this.#slow.delete(id);
  }
}
