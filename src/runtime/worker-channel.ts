/**
 * Requests to a worker thread and their replies. The worker prepares itself (opens a database,
 * loads a lexicon), reports that it is ready, then handles each request in arrival order. A worker
 * that exits is started again on the next request; `close` lets it release what it holds.
 */
import type { Worker } from 'node:worker_threads';
import type { Logger } from '../log/logger.ts';
import { startWorker } from './worker.ts';

/** An error as a message can carry it: name, message and a code such as `SQLITE_BUSY`. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

export type ChannelRequest<Request> = { type: 'call'; id: number; request: Request } | { type: 'close' };

export type ChannelReply<Reply> =
  | { type: 'ready' }
  | { type: 'closed' }
  | { type: 'failed'; error: SerializedError }
  | { type: 'result'; id: number; reply: Reply }
  /** `alsoFailed` is a second failure while recovering from the first, logged by the caller's side. */
  | { type: 'error'; id: number; error: SerializedError; alsoFailed?: { message: string; error: SerializedError } };

/** Copies the name, message and code of `error` into a value a message can carry. */
export function serializeError(error: unknown): SerializedError {
  const { name = 'Error', message = String(error), code } = (error ?? {}) as { name?: string; message?: string; code?: unknown };
  return { name, message, ...(typeof code === 'string' ? { code } : {}) };
}

export function deserializeError({ name, message, code }: SerializedError): Error {
  const error = new Error(message) as Error & { code?: string };
  error.name = name;
  if (code !== undefined) error.code = code;
  return error;
}

export interface WorkerChannelOptions {
  /** Module of the worker, which calls `serveRequests`. */
  moduleUrl: URL;
  workerData: unknown;
  /** Names the thread in messages and logs, such as `write thread`. */
  name: string;
  logger: Logger;
  /** How long `close` waits for the worker to finish and release what it holds. */
  closeTimeoutMs?: number;
}

interface Pending<Reply> {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

export class WorkerChannel<Request, Reply> {
  readonly #options: WorkerChannelOptions;
  readonly #pending = new Map<number, Pending<Reply>>();
  #worker: Promise<Worker> | null = null;
  /** The worker once it is ready, so a request is posted without a microtask turn. */
  #ready: Worker | null = null;
  #nextId = 1;
  #closed = false;

  constructor(options: WorkerChannelOptions) {
    this.#options = options;
  }

  /** Starts the worker, if it is not running, and waits until it is ready. */
  start(): Promise<Worker> {
    this.#worker ??= this.#spawn().catch((error: unknown) => {
      this.#worker = null;
      throw error;
    });
    return this.#worker;
  }

  async call(request: Request): Promise<Reply> {
    if (this.#closed) throw new Error(`Cannot send a request: the ${this.#options.name} is closed.`);
    const worker = this.#ready ?? (await this.start());
    const id = this.#nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'call', id, request } satisfies ChannelRequest<Request>);
    });
  }

  /** Lets the worker finish and release what it holds; pending calls should be awaited first. */
  async close(): Promise<void> {
    this.#closed = true;
    const starting = this.#worker;
    this.#worker = null;
    this.#ready = null;
    const worker = await starting?.catch(() => null);
    if (!worker) return;
    const timeoutMs = this.#options.closeTimeoutMs ?? 10_000;
    // Workers in Deno do not end on their own when idle, so the worker reports that it is done
    // and is then terminated, in both runtimes.
    const closed = new Promise<boolean>((resolve) => {
      worker.on('message', (reply: ChannelReply<Reply>) => reply.type === 'closed' && resolve(true));
      worker.once('exit', () => resolve(true));
    });
    worker.postMessage({ type: 'close' } satisfies ChannelRequest<Request>);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    if (!(await Promise.race([closed, timedOut]))) {
      this.#options.logger.warn({ timeoutMs }, `${this.#options.name} did not finish in time; terminating it`);
    }
    clearTimeout(timer);
    await worker.terminate();
  }

  #spawn(): Promise<Worker> {
    const { name, logger } = this.#options;
    return new Promise<Worker>((resolve, reject) => {
      const worker = startWorker(this.#options.moduleUrl, this.#options.workerData);
      let ready = false;
      worker.on('message', (message: ChannelReply<Reply>) => {
        if (message.type === 'ready') {
          ready = true;
          this.#ready = worker;
          resolve(worker);
        } else if (message.type === 'failed') {
          reject(deserializeError(message.error));
          void worker.terminate();
        } else if (message.type !== 'closed') {
          const pending = this.#pending.get(message.id);
          this.#pending.delete(message.id);
          if (message.type === 'result') {
            pending?.resolve(message.reply);
            return;
          }
          if (message.alsoFailed) logger.error({ err: deserializeError(message.alsoFailed.error) }, message.alsoFailed.message);
          pending?.reject(deserializeError(message.error));
        }
      });
      worker.on('error', (error: Error) => {
        if (!ready) reject(error);
        else logger.error({ err: error }, `${name} failed`);
      });
      worker.on('exit', (code: number) => {
        if (!ready) reject(new Error(`The ${name} exited with code ${code} before it was ready.`));
        if (this.#closed) return;
        this.#worker = null;
        this.#ready = null;
        if (ready) logger.error({ exitCode: code, pendingRequests: this.#pending.size }, `${name} exited; it restarts on the next request`);
        for (const pending of this.#pending.values()) pending.reject(new Error(`The ${name} exited with code ${code} during a request.`));
        this.#pending.clear();
      });
    });
  }
}
