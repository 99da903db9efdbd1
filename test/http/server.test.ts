/**
 * The HTTP app behind a real listening server: rate limits, body limits, a 10,000-row export
 * in the spawned service with its memory measured, shutdown during an export, and Socket.IO
 * sharing the server with Hono.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { openStore } from '../../src/store/index.ts';
import { createBatch, json, openHarness, type PostSpec } from './harness.ts';
import { parsePrometheusText, sampleValue } from './prometheus-text.ts';
import { repositoryRoot, startServiceProcess, temporaryFolder, type ServiceProcess } from '../support/service-process.ts';

const EXPORT_ROWS = 10_000;
const TEXT_LENGTH = 8000;

/** Reads one sample from the service's own /metrics, which works the same on both runtimes. */
async function metricValue(baseUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const value = sampleValue(parsePrometheusText(text), name, labels);
  if (value === undefined) throw new Error(`${name} missing from /metrics`);
  return value;
}

/** Fails with `message` when `promise` takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---

const limits = suite('rate and body limits');

limits('429 with Retry-After, then recovers', async () => {
  const harness = await openHarness({ env: { RATE_LIMIT_PER_MINUTE: '3' }, posts: [], app: { rateLimitWindowMs: 1000 } });
  const baseUrl = await harness.listen();
  try {
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const response = await fetch(`${baseUrl}/api/stats`);
      await response.body?.cancel();
      assert.is(response.status, 200, `request ${attempt} within the limit`);
    }
    const limited = await fetch(`${baseUrl}/api/stats`);
    assert.is(limited.status, 429, 'fourth request limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter), `Retry-After is whole seconds (got ${limited.headers.get('retry-after')})`);
    assert.ok(retryAfter >= 0 && retryAfter <= 1, `Retry-After lies within the 1 s window (got ${retryAfter})`);
    const body = await json(limited);
    assert.match(body.error.message, /at most 3 per 1 s/, 'message gives the limit');

    const health = await fetch(`${baseUrl}/healthz`);
    await health.body?.cancel();
    assert.is(health.status, 200, 'health checks are not limited');

    // Wait for the window to pass; bounded, so a limiter that never resets fails here.
    let recovered = 0;
    for (let waited = 0; waited < 3000 && recovered !== 200; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const response = await fetch(`${baseUrl}/api/stats`);
      await response.body?.cancel();
      recovered = response.status;
    }
    assert.is(recovered, 200, 'requests succeed again after the window');
  } finally {
    await harness.close();
  }
});

limits('clients are counted apart behind a trusted proxy', async () => {
  const harness = await openHarness({ env: { RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'true' }, posts: [], app: { rateLimitWindowMs: 60_000 } });
  const baseUrl = await harness.listen();
  const get = async (forwardedFor: string) => {
    const response = await fetch(`${baseUrl}/api/stats`, { headers: { 'X-Forwarded-For': forwardedFor } });
    await response.body?.cancel();
    return response.status;
  };
  try {
    assert.is(await get('198.51.100.7'), 200, 'first client, first request');
    assert.is(await get('198.51.100.7'), 200, 'first client, second request');
    assert.is(await get('198.51.100.7'), 429, 'first client limited');
    assert.is(await get('198.51.100.8'), 200, 'second client has its own budget');
    // The proxy appends the real address; a forged first entry does not give a fresh budget.
    assert.is(await get('203.0.113.1, 198.51.100.7'), 429, 'last entry is the client');
  } finally {
    await harness.close();
  }
});

limits('413 for a chunked body over the limit', async () => {
  const harness = await openHarness({ env: { ADMIN_TOKEN: 'admin-token-0123456789' }, posts: [] });
  const baseUrl = await harness.listen();
  const { hostname, port } = new URL(baseUrl);
  try {
    const result = await within(
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest(
          {
            host: hostname,
            port,
            path: '/api/announcements',
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: 'Bearer admin-token-0123456789', 'Transfer-Encoding': 'chunked' },
          },
          (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (body += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
          },
        );
        request.on('error', reject);
        // 40 chunks of 1 KiB, without Content-Length: the limit must count streamed bytes.
        request.write('{"message":"');
        for (let index = 0; index < 40; index += 1) request.write('x'.repeat(1024));
        request.end('"}');
      }),
      10_000,
      'no answer to the oversized body',
    );
    assert.is(result.status, 413, 'status');
    assert.is(JSON.parse(result.body).error.parameter, 'body', 'names the body');
    assert.is(harness.announcements.length, 0, 'nothing published');
  } finally {
    await harness.close();
  }
});

limits.run();

// ---

const exporting = suite<{ folder: ReturnType<typeof temporaryFolder>; service?: ServiceProcess }>('export in the running service');

exporting.before(async (context) => {
  context.folder = temporaryFolder('skypulse-export-');
  const config = loadConfig({ DATABASE_URL: `file:${join(context.folder.path, 'db.sqlite')}`, LOG_LEVEL: 'silent' });
  const store = await openStore({ config, logger: silentLogger(), pruneIntervalMs: 0 });
  // Recent posts, so the service's retention (7 days) keeps them.
  const baseMs = Date.now() - 3_600_000;
  const filler = 'lorem ipsum dolor sit amet, "quoted", '.repeat(Math.ceil(TEXT_LENGTH / 38)).slice(0, TEXT_LENGTH);
  for (let start = 0; start < EXPORT_ROWS; start += 1000) {
    const specs: PostSpec[] = [];
    for (let index = start; index < start + 1000; index += 1) {
      specs.push({ rkey: `r${String(index).padStart(6, '0')}`, offsetMs: index * 10, text: `${index} ${filler}`, compound: ((index % 200) - 100) / 100 });
    }
    await store.applyBatch(createBatch(specs, baseMs));
  }
  await store.close();
  context.service = await startServiceProcess({
    env: { DATABASE_URL: config.DATABASE_URL, INGEST: 'false', JETSTREAM_URL: 'ws://127.0.0.1:9/subscribe', RATE_LIMIT_PER_MINUTE: '1000' },
  });
});

exporting.after(async (context) => {
  await context.service?.stop('SIGKILL').catch(() => undefined);
  context.folder.remove();
});

exporting('10,000 rows stream with bounded memory', async ({ service }) => {
  const baseUrl = service!.baseUrl;
  const since = new Date(Date.now() - 2 * 3_600_000).toISOString();
  const resident = () => metricValue(baseUrl, 'process_resident_memory_bytes');
  const exported = () => metricValue(baseUrl, 'skypulse_http_exported_posts_total', { format: 'ndjson' });

  // Warm up the code paths so the baseline includes them.
  await (await fetch(`${baseUrl}/api/export?format=ndjson&since=${since}&until=${Date.now() - 3_599_000}`)).text();
  const baseline = await resident();
  const exportedBefore = await exported();

  // node:http rather than fetch: a paused IncomingMessage stops reading the socket, while
  // fetch keeps filling its own buffer, which would hide how far the server reads ahead.
  const { hostname, port } = new URL(baseUrl);
  const response = await within(
    new Promise<IncomingMessage>((resolve, reject) => {
      httpRequest({ host: hostname, port, path: `/api/export?format=ndjson&since=${encodeURIComponent(since)}` }, resolve).on('error', reject).end();
    }),
    20_000,
    'no response headers',
  );
  assert.is(response.statusCode, 200, 'status');
  let bytes = 0;
  let lines = 0;
  const count = (chunk: Buffer) => {
    bytes += chunk.byteLength;
    for (const byte of chunk) if (byte === 10) lines += 1;
  };
  const ended = new Promise<void>((resolve, reject) => {
    response.on('end', resolve);
    response.on('error', reject);
  });

  // Stop reading after the first chunk. A streaming server then stops reading the database once
  // the socket buffers are full. A server that builds the whole export first has read it all.
  await within(
    new Promise<void>((resolve) => {
      response.once('data', (chunk: Buffer) => {
        response.pause();
        count(chunk);
        resolve();
      });
    }),
    20_000,
    'no first chunk',
  );
  let peak = baseline;
  for (let sample = 0; sample < 10; sample += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    peak = Math.max(peak, await resident());
  }
  const readAhead = (await exported()) - exportedBefore;
  const pausedGrowth = peak - baseline;

  response.on('data', count);
  response.resume();
  await within(ended, 30_000, 'export did not finish');
  const afterGrowth = Math.max(peak, await resident()) - baseline;

  const megabytes = (value: number) => (value / 1e6).toFixed(1);
  console.log(
    `export ${megabytes(bytes)} MB; posts encoded while the client paused ${readAhead}; ` +
      `RSS growth while paused ${megabytes(pausedGrowth)} MB, after the export ${megabytes(afterGrowth)} MB`,
  );
  assert.is(lines, EXPORT_ROWS, 'every row exported');
  assert.ok(bytes > EXPORT_ROWS * TEXT_LENGTH, `export is large (${bytes} bytes)`);
  assert.ok(readAhead < EXPORT_ROWS / 4, `${readAhead} of ${EXPORT_ROWS} posts were encoded while the client read nothing`);
  // Generous: the heap and SQLite's page cache (32 MiB) grow by tens of MB whatever the export
  // does, while holding the whole export (rows plus encoded text) would take twice its size.
  assert.ok(pausedGrowth < bytes, `RSS grew ${pausedGrowth} bytes while the client paused a ${bytes}-byte export`);
});

exporting('SIGTERM during a stalled export exits 0 and cuts the transfer', async ({ service }) => {
  const response = await fetch(`${service!.baseUrl}/api/export?format=csv&since=${Date.now() - 2 * 3_600_000}`);
  assert.is(response.status, 200, 'export started');
  const reader = response.body!.getReader();
  const first = await within(reader.read(), 10_000, 'no first chunk');
  assert.not.ok(first.done, 'first chunk arrived');
  assert.ok(first.value!.byteLength > 0, 'first chunk has bytes');

  // The client stops reading; the service must not wait for it.
  const stopped = await within(service!.stop('SIGTERM'), 15_000, 'service did not exit after SIGTERM');
  if (stopped.code !== 0) console.log(service!.output().split('\n').slice(-15).join('\n'));
  assert.is(stopped.code, 0, 'exit code');
  let completed = true;
  try {
    for (;;) {
      const { done } = await within(reader.read(), 10_000, 'stream neither ended nor failed');
      if (done) break;
    }
  } catch {
    completed = false;
  }
  assert.is(completed, false, 'the client sees an incomplete transfer, not a clean end');
});

exporting.run();

// ---

const shared = suite<{ folder: ReturnType<typeof temporaryFolder>; service?: ServiceProcess }>('Socket.IO and Hono on one server');

shared.before(async (context) => {
  context.folder = temporaryFolder('skypulse-shared-');
  context.service = await startServiceProcess({
    env: { DATABASE_URL: `file:${join(context.folder.path, 'db.sqlite')}`, JETSTREAM_URL: 'ws://127.0.0.1:9/subscribe' },
  });
});

shared.after(async (context) => {
  await context.service?.stop('SIGKILL').catch(() => undefined);
  context.folder.remove();
});

shared('50 concurrent rounds: each request answered once, by the right side', async ({ service }) => {
  const baseUrl = service!.baseUrl;
  const pageExists = existsSync(join(repositoryRoot, 'static', 'index.html'));
  const round = async () => {
    const [polling, clientScript, stats, page] = await Promise.all([
      fetch(`${baseUrl}/socket.io/?EIO=4&transport=polling`),
      fetch(`${baseUrl}/socket.io/socket.io.js`),
      fetch(`${baseUrl}/api/stats`),
      fetch(`${baseUrl}/`),
    ]);
    return {
      polling: { status: polling.status, body: await polling.text(), csp: polling.headers.get('content-security-policy') },
      clientScript: { status: clientScript.status, csp: clientScript.headers.get('content-security-policy'), body: await clientScript.text() },
      stats: { status: stats.status, body: await stats.text() },
      page: { status: page.status, body: await page.text() },
    };
  };
  const rounds = await within(Promise.all(Array.from({ length: 50 }, round)), 30_000, 'concurrent requests did not finish');

  for (const [index, result] of rounds.entries()) {
    assert.is(result.polling.status, 200, `round ${index}: polling handshake status`);
    assert.ok(result.polling.body.startsWith('0{"sid"'), `round ${index}: engine.io handshake body`);
    // Every Hono response carries the CSP header; engine.io's do not.
    assert.is(result.polling.csp, null, `round ${index}: handshake not answered by Hono`);
    assert.is(result.clientScript.csp, null, `round ${index}: /socket.io/socket.io.js not answered by Hono`);
    assert.is(result.stats.status, 200, `round ${index}: /api/stats status`);
    assert.is(JSON.parse(result.stats.body).version, 1, `round ${index}: /api/stats JSON`);
    assert.is(result.page.status, pageExists ? 200 : 404, `round ${index}: / status`);
  }
  const output = service!.output();
  assert.not.match(output, /ERR_HTTP_HEADERS_SENT/, 'no response was written twice');
  assert.not.match(output, /Socket\.IO request reached the HTTP app/, 'Hono never saw a /socket.io/ request');
});

shared.run();
