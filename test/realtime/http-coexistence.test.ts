import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServiceProcess, temporaryFolder, type ServiceProcess } from '../support/service-process.ts';

// Nothing listens on port 9 (discard) here, so the consumer only retries; no test reaches the internet.
const CLOSED_UPSTREAM = 'ws://127.0.0.1:9/subscribe';
const ROUNDS = 50;

const coexistence = suite<{ folder?: ReturnType<typeof temporaryFolder>; service?: ServiceProcess }>('realtime and http on one server');

coexistence.after.each(async (context) => {
  await context.service?.stop('SIGTERM').catch(() => undefined);
  context.service = undefined;
  context.folder?.remove();
});

interface Answer {
  status: number;
  type: string;
  body: string;
}

async function get(url: string): Promise<Answer> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

coexistence('concurrent socket.io and http requests never collide', async (context) => {
  context.folder = temporaryFolder();
  context.service = await startServiceProcess({
    env: { JETSTREAM_URL: CLOSED_UPSTREAM, DATABASE_URL: `file:${context.folder.path}/db.sqlite`, RATE_LIMIT_PER_MINUTE: '100000' },
  });
  const base = context.service.baseUrl;

  const requests: Array<Promise<[string, Answer]>> = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const path of ['/socket.io/?EIO=4&transport=polling', '/socket.io/socket.io.js', '/api/stats', '/']) {
      requests.push(get(base + path).then((answer) => [path, answer]));
    }
  }
  const answers = await Promise.all(requests);

  for (const [path, answer] of answers) {
    if (path.startsWith('/socket.io/?')) {
      assert.is(answer.status, 200, `${path} status`);
      assert.match(answer.body, /^0\{"sid"/, `${path} is an engine.io handshake`);
    } else if (path === '/socket.io/socket.io.js') {
      // The client bundle is not served; engine.io, not the HTTP app, rejects the path.
      assert.is(answer.status, 400, `${path} status`);
      assert.match(answer.body, /Transport unknown/, `${path} answered by engine.io`);
    } else if (path === '/api/stats') {
      assert.is(answer.status, 200, `${path} status`);
      assert.match(answer.type, /application\/json/, `${path} is JSON`);
      assert.is((JSON.parse(answer.body) as { version: number }).version, 1, `${path} is a snapshot`);
    } else {
      assert.ok(answer.status < 500, `${path} status ${answer.status} is not a server error`);
      assert.not.match(answer.body, /"sid"|Transport unknown/, `${path} is not answered by engine.io`);
    }
  }
  assert.not.match(context.service.output(), /ERR_HTTP_HEADERS_SENT|Cannot set headers/, 'no double response in the log');
});

coexistence.run();
