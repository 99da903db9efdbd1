/**
 * Raw intake of one Jetstream client reading a replay. `ours` is the service's upstream
 * connection plus frame decoding (parse and validation, no scoring or storage). `skyware` is
 * @skyware/jetstream with `onCreate` for posts. Both stop when they have seen the expected
 * number of post creates. Prints one JSON line with the elapsed time and the rate.
 *
 * Usage: intake-reader.ts ours|skyware URL EXPECTED_CREATES TIMEOUT_MS
 */
import { Jetstream } from '@skyware/jetstream';
import WebSocket from 'ws';
import { createBackoff } from '../../src/firehose/backoff.ts';
import { decodeFrame } from '../../src/firehose/frame-decoder.ts';
import { POST_COLLECTION } from '../../src/firehose/jetstream-event.ts';
import { buildSubscribeUrl } from '../../src/firehose/subscribe-url.ts';
import { createUpstreamConnection } from '../../src/firehose/upstream-connection.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { createUpstreamSocket } from '../../src/runtime/websocket.ts';

const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

const [client, url, expectedText, timeoutText] = process.argv.slice(2);
if ((client !== 'ours' && client !== 'skyware') || !url || !expectedText || !timeoutText) {
  process.stderr.write('Usage: intake-reader.ts ours|skyware URL EXPECTED_CREATES TIMEOUT_MS\n');
  process.exit(2);
}
const expected = Number(expectedText);

function finish(started: number, creates: number, stop: () => void): void {
  const elapsedMs = performance.now() - started;
  stop();
  process.stdout.write(`${JSON.stringify({ client, creates, elapsedMs, createsPerSecond: creates / (elapsedMs / 1000) })}\n`);
  process.exit(0);
}

setTimeout(() => {
  process.stderr.write(`${client}: saw fewer than ${expected} post creates within ${timeoutText} ms\n`);
  process.exit(1);
}, Number(timeoutText)).unref();

const started = performance.now();
let creates = 0;

if (client === 'ours') {
  const connection = createUpstreamConnection({
    endpoints: [url],
    buildUrl: (endpoint) => buildSubscribeUrl(endpoint, { cursor: null, rewindSeconds: 0, maxMessageBytes: MAX_MESSAGE_BYTES, compress: false }),
    socketFactory: createUpstreamSocket,
    socketOptions: () => ({ perMessageDeflate: true, maxPayload: 64 * 1024 * 1024, handshakeTimeoutMs: 10_000 }),
    backoff: createBackoff({ minMs: 100, maxMs: 1000 }),
    healthyMs: 30_000,
    stallTimeoutMs: 45_000,
    pingIntervalMs: 15_000,
    onFrame(data, isBinary) {
      const event = decodeFrame(data, isBinary, { maxMessageBytes: MAX_MESSAGE_BYTES, decompress: null });
      if (event.type === 'post-upsert' && event.operation === 'create' && ++creates === expected) {
        finish(started, creates, () => void connection.stop());
      }
    },
    onStateChange() {},
    now: Date.now,
    logger: silentLogger(),
  });
  connection.start();
} else {
  // Node 20 has no global WebSocket, so the `ws` class is passed in; `endpoint` must be the full /subscribe URL.
  const jetstream = new Jetstream({ ws: WebSocket, endpoint: url, wantedCollections: [POST_COLLECTION] });
  jetstream.onCreate(POST_COLLECTION, () => {
    if (++creates === expected) finish(started, creates, () => jetstream.close());
  });
  jetstream.start();
}
