/** Messages between the harness and a load-generator process (`clients.ts`) over the fork IPC channel. */
import type { HistogramData } from '../lib/stats.ts';

/**
 * Client implementation. `thin` speaks Engine.IO v4 / Socket.IO v5 over `ws` by hand and reads
 * only the stamp and the URIs of each batch. `thin-batch` reads the raw bytes without decoding
 * the frame and takes end-to-end latency for the first post of each batch only, for 10,000
 * clients on one core. `socket.io` is the real socket.io-client, which parses every message as
 * a browser would and costs about twice the CPU of `thin` per frame.
 */
export type ClientKind = 'thin' | 'thin-batch' | 'socket.io';

export type HarnessToWorker =
  | { type: 'connect'; baseUrl: string; count: number; perSecond: number; kind: ClientKind; token?: string }
  /** Send times of posts, keyed by AT-URI, in ms on the shared wall clock. */
  | { type: 'send-times'; entries: Array<[string, number]> }
  | { type: 'report' }
  | { type: 'close' };

/** Delivery tally of one client. */
export interface DeliveryTally {
  batches: number;
  posts: number;
  matched: number;
  /** Sum of batch keys modulo 2^32, independent of arrival order. */
  digest: number;
}

/** Report of one load-generator process; the harness merges the reports of all of them. */
export interface WorkerReport {
  clients: number;
  connected: number;
  connectFailures: number;
  /** Clients whose connection closed before the harness asked them to. */
  disconnects: number;
  /** Delivery latency: client arrival minus the server's `sentAt`, per client and batch. */
  batchLatency: HistogramData;
  /** End-to-end latency: client arrival minus the replay send time, per client and post. */
  postLatency: HistogramData;
  /** Posts that arrived without a known send time. */
  unmatchedPosts: number;
  /**
   * Distinct delivery tallies over clients, with how many clients had each: batches, posts
   * received, posts matched (`total`, including those sampled out) and the batch digest.
   */
  digests: Array<DeliveryTally & { clients: number }>;
  /** Time the last batch arrived at any client, on the shared wall clock. */
  lastArrivalMs: number;
  errors: string[];
}

export type WorkerToHarness =
  | { type: 'ready' }
  | { type: 'connected'; connected: number; failures: number }
  | { type: 'report'; report: WorkerReport }
  | { type: 'fatal'; message: string };
