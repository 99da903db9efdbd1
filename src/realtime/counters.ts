/** Counters of the Socket.IO layer of this process, read by the metrics endpoint. */

/** Reason a message or post did not reach a client. */
export type DropReason =
  /** Posts left out of a batch by the per-client rate cap (counted per post). */
  | 'sampled'
  /** Volatile messages (`stats`) skipped because the client's transport was still busy. */
  | 'volatile'
  /** Messages skipped because the client's send buffer was above CLIENT_MAX_BUFFER_BYTES. */
  | 'slow-client'
  /** Deleted URIs or edited posts beyond the per-tick limit (counted per item). */
  | 'overflow';

export interface RealtimeCounters {
  /** Messages queued to this process's clients, by event. */
  sent: Record<string, number>;
  /** Messages or posts not sent, by reason. */
  dropped: Record<DropReason, number>;
  /** Clients disconnected because their send buffer stayed above the limit. */
  slowDisconnects: number;
  /** Clients above the buffer limit now. */
  slowClients: number;
  /** Largest send buffer of one client at the last check, in bytes. */
  maxBufferedBytes: number;
}

export class CounterSet {
  readonly sent: Record<string, number> = {};
  readonly dropped: Record<DropReason, number> = { sampled: 0, volatile: 0, 'slow-client': 0, overflow: 0 };
  slowDisconnects = 0;
  slowClients = 0;
  maxBufferedBytes = 0;

  countSent(event: string, count = 1): void {
    this.sent[event] = (this.sent[event] ?? 0) + count;
  }

  countDropped(reason: DropReason, count = 1): void {
    if (count > 0) this.dropped[reason] += count;
  }

  snapshot(): RealtimeCounters {
    return {
      sent: { ...this.sent },
      dropped: { ...this.dropped },
      slowDisconnects: this.slowDisconnects,
      slowClients: this.slowClients,
      maxBufferedBytes: this.maxBufferedBytes,
    };
  }
}
