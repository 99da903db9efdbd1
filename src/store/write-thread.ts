/**
 * The write thread of a `file:` database. Ingest batches and retention chunks run on their own
 * connection in a worker thread, so SQLite's work on a batch overlaps the scoring of the next
 * one on the main thread. Reads stay on the main thread's connection; WAL mode lets them run
 * while the worker writes. A worker that dies is started again on the next write.
 */
import type { InStatement } from '@libsql/client';
import type { Logger } from '../log/logger.ts';
import { WorkerChannel } from '../runtime/worker-channel.ts';
import type { WriteRequest, WriteResult, WriteThreadData } from './write-protocol.ts';

/** Runs statements in one write transaction: the write thread, or a client on this thread. */
export interface BatchRunner {
  batch(statements: InStatement[]): Promise<WriteResult[]>;
}

// The bundle in dist/ ships the worker as its own file next to server.js.
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('./write-worker.ts', import.meta.url)
  : new URL('./store-write-worker.js', import.meta.url);

export type { WriteResult } from './write-protocol.ts';

export class WriteThread implements BatchRunner {
  readonly #channel: WorkerChannel<WriteRequest, WriteResult[]>;

  private constructor(channel: WorkerChannel<WriteRequest, WriteResult[]>) {
    this.#channel = channel;
  }

  /** Starts the worker and waits until its connection is open. */
  static async start(data: WriteThreadData, logger: Logger): Promise<WriteThread> {
    const channel = new WorkerChannel<WriteRequest, WriteResult[]>({ moduleUrl: WORKER_URL, workerData: data, name: 'write thread', logger });
    await channel.start();
    return new WriteThread(channel);
  }

  batch(statements: InStatement[]): Promise<WriteResult[]> {
    return this.#channel.call(statements);
  }

  /** Lets the worker finish and close its connection; pending writes should be awaited first. */
  close(): Promise<void> {
    return this.#channel.close();
  }
}
