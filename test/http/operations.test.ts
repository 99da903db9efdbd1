import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { json, openHarness, type Harness } from './harness.ts';
import { ReadinessSchema } from '../../src/http/schemas.ts';
import { parsePrometheusText, sampleValue } from './prometheus-text.ts';

// ---

const health = suite('GET /healthz and /readyz');

health('healthz answers ok', async () => {
  const harness = await openHarness({ posts: [] });
  const response = await harness.app.request('/healthz');
  assert.is(response.status, 200, 'status');
  assert.equal(await response.json(), { status: 'ok' }, 'body');
  await harness.close();
});

health('readyz is 200 with both checks passing', async () => {
  const harness = await openHarness({ posts: [] });
  const response = await harness.app.request('/readyz');
  assert.is(response.status, 200, 'status');
  const body = ReadinessSchema.parse(await response.json());
  assert.is(body.ready, true, 'ready');
  assert.is(body.checks.database.ok, true, 'database check');
  assert.is(body.checks.firehose?.ok, true, 'firehose check');
  await harness.close();
});

health('readyz is 503 once the database is gone', async () => {
  const harness = await openHarness({ posts: [] });
  await harness.store.close();
  const response = await harness.app.request('/readyz');
  assert.is(response.status, 503, 'status');
  const body = ReadinessSchema.parse(await response.json());
  assert.is(body.ready, false, 'not ready');
  assert.is(body.checks.database.ok, false, 'database check failed');
  assert.match(body.reason ?? '', /^database: /, 'reason names the database');
  const healthz = await harness.app.request('/healthz');
  assert.is(healthz.status, 200, 'liveness is unaffected');
  await harness.close();
});

health('readyz is 503 when the database does not answer in time', async () => {
  const harness = await openHarness({ posts: [] });
  const stalled = await openHarness({
    posts: [],
    app: { store: { ...harness.store, ping: () => new Promise<void>(() => undefined) }, readinessTimeoutMs: 50 },
  });
  const response = await stalled.app.request('/readyz');
  assert.is(response.status, 503, 'status');
  assert.match((await json(response)).reason, /no answer within 50 ms/, 'reason gives the timeout');
  await stalled.close();
  await harness.close();
});

health('readyz is 503 when the firehose is not ready', async () => {
  const harness = await openHarness({ posts: [] });
  harness.firehose.readiness = { ready: false, reason: 'disconnected for 120 s, longer than the reconnect budget' };
  const response = await harness.app.request('/readyz');
  assert.is(response.status, 503, 'status');
  const body = ReadinessSchema.parse(await response.json());
  assert.is(body.checks.database.ok, true, 'database still fine');
  assert.is(body.reason, 'firehose: disconnected for 120 s, longer than the reconnect budget', 'reason from the firehose');
  await harness.close();
});

health('readyz skips the firehose when ingestion is off', async () => {
  const harness = await openHarness({ posts: [] });
  harness.firehose.readiness = null;
  const body = ReadinessSchema.parse(await (await harness.app.request('/readyz')).json());
  assert.is(body.ready, true, 'ready');
  assert.is(body.checks.firehose, null, 'no firehose check');
  await harness.close();
});

health.run();

// ---

const metrics = suite<{ harness: Harness }>('GET /metrics');

metrics.before(async (context) => {
  context.harness = await openHarness({ defaultMetrics: true });
});
metrics.after(async (context) => context.harness.close());

metrics('parses as Prometheus text with every family', async ({ harness }) => {
  await harness.app.request('/api/stats');
  await harness.app.request('/api/posts?limit=0');
  await harness.app.request('/no/such/page');
  harness.metrics.onBatchWritten(0.012, 40);

  const response = await harness.app.request('/metrics');
  assert.is(response.status, 200, 'status');
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/, 'content type');
  const families = parsePrometheusText(await response.text());

  for (const name of [
    'skypulse_firehose_events_received_total',
    'skypulse_firehose_events_dropped_total',
    'skypulse_firehose_reconnects_total',
    'skypulse_firehose_lag_seconds',
    'skypulse_firehose_queue_depth',
    'skypulse_posts_stored',
    'skypulse_store_batch_write_seconds',
    'skypulse_realtime_clients',
    'skypulse_realtime_messages_sent_total',
    'skypulse_realtime_messages_dropped_total',
    'skypulse_http_requests_total',
    'skypulse_http_request_duration_seconds',
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
  ]) {
    assert.ok(families.has(name), `family ${name} present`);
  }
  // On Deno without --allow-all prom-client cannot read /proc/self; the replacement must not report 0.
  assert.ok((sampleValue(families, 'process_resident_memory_bytes') ?? 0) > 0, 'resident memory is reported');
  assert.is(families.get('skypulse_store_batch_write_seconds')!.type, 'histogram', 'batch latency is a histogram');
  assert.is(sampleValue(families, 'skypulse_store_batch_write_seconds_count'), 1, 'one batch observed');
  assert.is(sampleValue(families, 'skypulse_store_effects_written_total'), 40, 'effects counted');
  assert.is(sampleValue(families, 'skypulse_posts_stored', { label: 'unscored' }), 2, 'posts by label');
  assert.is(sampleValue(families, 'skypulse_http_requests_total', { route: '/api/stats', status: '200' }), 1, 'API request by route template');
  assert.is(sampleValue(families, 'skypulse_http_requests_total', { route: '/api/posts', status: '400' }), 1, 'rejected request by route and status');
  assert.is(sampleValue(families, 'skypulse_http_requests_total', { route: 'unmatched', status: '404' }), 1, 'unknown paths share one label');
});

metrics('firehose counters follow the statistics snapshot', async ({ harness }) => {
  await harness.hub.publish('firehose', {
    connected: true,
    endpoint: 'ws://127.0.0.1:9/subscribe',
    cursor: 1,
    lagSeconds: 1.5,
    lastEventAt: null,
    reconnects: 3,
    eventsReceived: 1234,
    dropped: { 'invalid-json': 2, 'oversized-frame': 1 },
    ignored: {},
    queueDepth: 17,
    paused: false,
    compressed: false,
  });
  // The snapshot is cached for a moment and the harness clock does not advance.
  harness.statistics.refresh();
  const families = parsePrometheusText(await (await harness.app.request('/metrics')).text());
  assert.is(sampleValue(families, 'skypulse_firehose_events_received_total'), 1234, 'events received');
  assert.is(sampleValue(families, 'skypulse_firehose_events_dropped_total', { reason: 'invalid-json' }), 2, 'dropped by reason');
  assert.is(sampleValue(families, 'skypulse_firehose_reconnects_total'), 3, 'reconnects');
  assert.is(sampleValue(families, 'skypulse_firehose_lag_seconds'), 1.5, 'lag');
  assert.is(sampleValue(families, 'skypulse_firehose_queue_depth'), 17, 'queue depth');
  assert.is(sampleValue(families, 'skypulse_firehose_connected'), 1, 'connected');
});

metrics('the strict reader rejects broken text', () => {
  assert.throws(() => parsePrometheusText('# TYPE a counter\na -1\n'), /negative counter/, 'negative counter');
  assert.throws(() => parsePrometheusText('a 1\n'), /without a TYPE/, 'sample without TYPE');
  assert.throws(() => parsePrometheusText('# TYPE a gauge\na{x="1} 1\n'), /unterminated/, 'broken label');
  assert.throws(() => parsePrometheusText('# TYPE a gauge\na one\n'), /not a float/, 'bad value');
});

metrics.run();
