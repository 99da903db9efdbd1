/** Worker for the WorkerChannel tests: echoes text with a prefix, fails or waits on request. */
import { threadId } from 'node:worker_threads';
import { serveRequests } from '../../src/runtime/worker-requests.ts';

export interface EchoRequest {
  text?: string;
  /** Message of a failure to raise instead of replying, with the code `E_ECHO`. */
  fail?: string;
  /** Delay before the reply, in milliseconds. */
  waitMs?: number;
}

export interface EchoReply {
  text: string;
  threadId: number;
}

await serveRequests<{ prefix: string }, EchoRequest, EchoReply>(async ({ prefix }) => ({
  async handle({ text = '', fail, waitMs = 0 }) {
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    if (fail !== undefined) throw Object.assign(new Error(fail), { code: 'E_ECHO' });
    return { text: `${prefix}${text}`, threadId };
  },
  close() {},
}));
