/**
 * The write thread of a `file:` database. Ingest batches and retention chunks run on their own
 * connection in a worker thread, so SQLite's work on a batch overlaps the scoring of the next
 * one on the main thread. Reads stay on the main thread's connection; WAL mode lets them run
 * while the worker writes. A worker that dies is started again on the next write.
 */
import type { Worker } from 'node:worker_threads';
import type { InStatement } from '@libsql/client';
import type { Logger } from '../log/logger.ts';
import { startWorker } from '../runtime/worker.ts';
import type { SerializedError, WriteReply, WriteRequest, WriteResult, WriteThreadData } from './write-protocol.ts';

/** Runs statements in one write transaction: the write thread, or a client on this thread. */
export interface BatchRunner {
  batch(statements: InStatement[]): Promise<WriteResult[]>;
}

// The bundle in dist/ ships the worker as its own file next to server.js.
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('./write-worker.ts', import.meta.url)
  : new URL('./store-write-worker.js', import.meta.url);

/** How long `close` waits for the worker to finish its transaction and exit. */
const CLOSE_TIMEOUT_MS = 10_000;

interface Pending {
  resolve(results: WriteResult[]): void;
  reject(error: Error): void;
}

export type { WriteResult } from './write-protocol.ts';

export class WriteThread implements BatchRunner {
  readonly #data: WriteThreadData;
  readonly #logger: Logger;
  readonly #pending = new Map<number, Pending>();
  #worker: Promise<Worker> | null = null;
  /** The worker once its connection is open, so a write is posted without a microtask turn. */
  #ready: Worker | null = null;
  #nextId = 1;
  #closed = false;

  private constructor(data: WriteThreadData, logger: Logger) {
    this.#data = data;
    this.#logger = logger;
  }

  /** Starts the worker and waits until its connection is open. */
  static async start(data: WriteThreadData, logger: Logger): Promise<WriteThread> {
    const thread = new WriteThread(data, logger);
    await thread.#ensureWorker();
    return thread;
  }

  async batch(statements: InStatement[]): Promise<WriteResult[]> {
    if (this.#closed) throw new Error('Cannot write: the write thread is closed because the store is closing.');
    const worker = this.#ready ?? (await this.#ensureWorker());
    const id = this.#nextId++;
    return new Promise<WriteResult[]>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'batch', id, statements } satisfies WriteRequest);
    });
  }

  /** Lets the worker finish and close its connection; pending writes should be awaited first. */
  async close(): Promise<void> {
    this.#closed = true;
    const starting = this.#worker;
    this.#worker = null;
    this.#ready = null;
    const worker = await starting?.catch(() => null);
    if (!worker) return;
    // Workers in Deno do not end on their own when idle, so the worker reports that its
    // connection is closed and is then terminated, in both runtimes.
    const closed = new Promise<boolean>((resolve) => {
      worker.on('message', (reply: WriteReply) => reply.type === 'closed' && resolve(true));
      worker.once('exit', () => resolve(true));
    });
    worker.postMessage({ type: 'close' } satisfies WriteRequest);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), CLOSE_TIMEOUT_MS);
    });
    if (!(await Promise.race([closed, timedOut]))) {
      this.#logger.warn({ timeoutMs: CLOSE_TIMEOUT_MS }, 'write thread did not close its connection in time; terminating it');
    }
    clearTimeout(timer);
    await worker.terminate();
  }

  #ensureWorker(): Promise<Worker> {
    this.#worker ??= this.#spawn().catch((error: unknown) => {
      this.#worker = null;
      throw error;
    });
    return this.#worker;
  }

  #spawn(): Promise<Worker> {
    return new Promise<Worker>((resolve, reject) => {
      const worker = startWorker(WORKER_URL, this.#data);
      let ready = false;
      worker.on('message', (reply: WriteReply) => {
        if (reply.type === 'ready') {
          ready = true;
          this.#ready = worker;
          resolve(worker);
        } else if (reply.type === 'failed') {
          reject(toError(reply.error));
          void worker.terminate();
        } else if (reply.type !== 'closed') {
          const pending = this.#pending.get(reply.id);
          this.#pending.delete(reply.id);
          if (reply.type === 'result') {
            pending?.resolve(reply.results);
            return;
          }
          if (reply.reconnectError) this.#logger.error({ err: toError(reply.reconnectError) }, 'write thread could not reopen its connection after a failed write');
          pending?.reject(toError(reply.error));
        }
      });
      worker.on('error', (error: Error) => {
        if (!ready) reject(error);
        else this.#logger.error({ err: error }, 'write thread failed');
      });
      worker.on('exit', (code: number) => {
        if (!ready) reject(new Error(`The write thread exited with code ${code} before its connection opened.`));
        if (this.#closed) return;
        this.#worker = null;
        this.#ready = null;
        // NOTE: no test kills a running worker, so this restart path has not been exercised.
        if (ready) this.#logger.error({ exitCode: code, pendingWrites: this.#pending.size }, 'write thread exited; it restarts on the next write');
        for (const pending of this.#pending.values()) pending.reject(new Error(`The write thread exited with code ${code} during a write.`));
        this.#pending.clear();
      });
    });
  }
}

function toError({ name, message, code }: SerializedError): Error {
  const error = new Error(message) as Error & { code?: string };
  error.name = name;
  if (code !== undefined) error.code = code;
  return error;
}
