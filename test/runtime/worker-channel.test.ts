import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WorkerChannel } from '../../src/runtime/worker-channel.ts';
import type { EchoReply, EchoRequest } from '../support/echo-worker.ts';
import { capturingLogger } from '../support/store-fixtures.ts';

const channels = suite('worker channel');

function openChannel() {
  const { logger, lines } = capturingLogger();
  const channel = new WorkerChannel<EchoRequest, EchoReply>({
    moduleUrl: new URL('../support/echo-worker.ts', import.meta.url),
    workerData: { prefix: 'echo: ' },
    name: 'echo thread',
    logger,
    closeTimeoutMs: 2000,
  });
  return { channel, lines };
}

channels('replies to each request', async () => {
  const { channel } = openChannel();
  try {
    const replies = await Promise.all(['a', 'b', 'c'].map((text) => channel.call({ text })));
    assert.equal(replies.map((reply) => reply.text), ['echo: a', 'echo: b', 'echo: c'], 'each call gets its own reply');
  } finally {
    await channel.close();
  }
});

channels('carries a failure across', async () => {
  const { channel } = openChannel();
  try {
    const error = (await channel.call({ fail: 'no such text' }).catch((caught: unknown) => caught)) as Error & { code?: string };
    assert.instance(error, Error, 'the call rejects');
    assert.is(error.message, 'no such text', 'message kept');
    assert.is(error.code, 'E_ECHO', 'code kept');
    assert.is((await channel.call({ text: 'after' })).text, 'echo: after', 'the worker keeps serving');
  } finally {
    await channel.close();
  }
});

channels('restarts after the worker exits', async () => {
  const { channel, lines } = openChannel();
  try {
    const first = await channel.call({ text: 'before' });
    const worker = await channel.start();
    const pending = channel.call({ text: 'slow', waitMs: 30_000 }).catch((caught: unknown) => caught);
    await worker.terminate();

    const error = await pending;
    assert.instance(error, Error, 'the request in flight rejects');
    assert.match((error as Error).message, /echo thread exited with code \d+ during a request/, 'the rejection names the thread');
    const logged = lines.find((line) => line.msg === 'echo thread exited; it restarts on the next request');
    assert.ok(logged, 'the exit is logged as an error');
    assert.is(logged!.pendingRequests, 1, 'the log counts the request in flight');

    const after = await channel.call({ text: 'after' });
    assert.is(after.text, 'echo: after', 'the next request is served');
    assert.is.not(after.threadId, first.threadId, 'by a new worker');
  } finally {
    await channel.close();
  }
});

channels('rejects requests once closed', async () => {
  const { channel } = openChannel();
  await channel.call({ text: 'open' });
  await channel.close();
  const error = await channel.call({ text: 'late' }).catch((caught: unknown) => caught);
  assert.instance(error, Error, 'a call after close rejects');
  assert.match((error as Error).message, /echo thread is closed/, 'the rejection names the thread');
});

channels.run();
