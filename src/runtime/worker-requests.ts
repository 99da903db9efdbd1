/**
 * The worker's side of a `WorkerChannel`: prepares once, then handles requests one at a time
 * in arrival order, and releases what it holds when asked to close.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError, type ChannelReply, type ChannelRequest, type SerializedError } from './worker-channel.ts';

/** A failure with a second one from the recovery that followed it. */
export class RecoveryError extends Error {
  readonly original: unknown;
  readonly recovery: { message: string; error: unknown };

  constructor(original: unknown, recovery: { message: string; error: unknown }) {
    super(original instanceof Error ? original.message : String(original));
    this.original = original;
    this.recovery = recovery;
  }
}

export interface RequestHandler<Request, Reply> {
  handle(request: Request): Reply | Promise<Reply>;
  close(): void | Promise<void>;
}

/** Runs `prepare` with the worker's data, then serves requests with the handler it returns. */
export async function serveRequests<Data, Request, Reply>(prepare: (data: Data) => Promise<RequestHandler<Request, Reply>>): Promise<void> {
  const port = parentPort!;
  const send = (message: ChannelReply<Reply>) => port.postMessage(message);
  let handler: RequestHandler<Request, Reply>;
  try {
    handler = await prepare(workerData as Data);
  } catch (error) {
    send({ type: 'failed', error: serializeError(error) });
    return;
  }

  let queue: Promise<void> = Promise.resolve();
  port.on('message', (message: ChannelRequest<Request>) => {
    queue = queue.then(async () => {
      if (message.type === 'close') {
        await handler.close();
        send({ type: 'closed' });
        return;
      }
      try {
        send({ type: 'result', id: message.id, reply: await handler.handle(message.request) });
      } catch (error) {
        if (!(error instanceof RecoveryError)) {
          send({ type: 'error', id: message.id, error: serializeError(error) });
          return;
        }
        const alsoFailed: { message: string; error: SerializedError } = { message: error.recovery.message, error: serializeError(error.recovery.error) };
        send({ type: 'error', id: message.id, error: serializeError(error.original), alsoFailed });
      }
    });
  });
  send({ type: 'ready' });
}
