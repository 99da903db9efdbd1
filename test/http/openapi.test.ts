import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import SwaggerParser from '@apidevtools/swagger-parser';
import { openHarness, type Harness } from './harness.ts';
import { formatDuration, parseDuration, parseTime } from '../../src/http/params.ts';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema?: { description?: string } }>; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

// ---

const openapi = suite<{ harness: Harness; document: OpenApiDocument }>('GET /api/openapi.json');

openapi.before(async (context) => {
  context.harness = await openHarness({ posts: [] });
  const response = await context.harness.app.request('/api/openapi.json');
  assert.is(response.status, 200, 'document status');
  context.document = (await response.json()) as OpenApiDocument;
});
openapi.after(async (context) => context.harness.close());

openapi('validates as OpenAPI 3.1', async ({ document }) => {
  assert.is(document.openapi, '3.1.0', 'version');
  // validate() dereferences in place, so it gets a copy.
  await SwaggerParser.validate(structuredClone(document) as never);
});

openapi('covers every route of the app', ({ harness, document }) => {
  const routes = harness.app.routes.filter((route) => route.method !== 'ALL');
  assert.ok(routes.length >= 10, 'the app has its routes');
  for (const route of routes) {
    const operations = document.paths[route.path];
    assert.ok(operations, `${route.path} documented`);
    assert.ok(operations![route.method.toLowerCase()], `${route.method} ${route.path} documented`);
  }
  const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
  const served = new Set(routes.map((route) => `${route.method} ${route.path}`));
  for (const operation of documented) assert.ok(served.has(operation), `${operation} is served`);
});

openapi('documents parameters with their accepted form', ({ document }) => {
  const parameters = document.paths['/api/posts']!.get!.parameters ?? [];
  const names = parameters.map((parameter) => parameter.name).sort();
  assert.equal(names, ['cursor', 'keyword', 'label', 'language', 'limit', 'since', 'until'], 'every query parameter of /api/posts');
  const since = parameters.find((parameter) => parameter.name === 'since')!;
  assert.match(since.schema?.description ?? '', /ISO 8601/, 'time parameters say what they accept');
  const limit = parameters.find((parameter) => parameter.name === 'limit')!;
  assert.match(limit.schema?.description ?? '', /from 1 to 500/, 'limit gives its bounds');
});

openapi('documents errors and security', ({ document }) => {
  assert.ok(document.paths['/api/posts']!.get!.responses['400'], '400 documented');
  assert.ok(document.paths['/api/posts']!.get!.responses['429'], '429 documented');
  assert.ok(document.components.schemas.Error, 'error schema');
  assert.ok(document.components.schemas.Post, 'post schema');
  assert.ok(document.components.securitySchemes.bearer, 'bearer scheme');
  assert.ok(document.components.securitySchemes.adminBearer, 'admin scheme');
});

openapi('unknown API routes get 404 JSON', async ({ harness }) => {
  for (const [method, path] of [['GET', '/api/nothing'], ['GET', '/api'], ['DELETE', '/api/posts']] as const) {
    const response = await harness.app.request(path, { method });
    assert.is(response.status, 404, `${method} ${path} status`);
    assert.is(response.headers.get('cache-control'), 'no-store', `${method} ${path} is not cached`);
    const body = (await response.json()) as { error: { message: string } };
    assert.match(body.error.message, '/api/openapi.json', `${method} ${path} points to the document`);
  }
});

openapi.run();

// ---

const params = suite('parameter parsing');

params('parseTime accepts the documented forms', () => {
  assert.is(parseTime('2025-01-31T12:00:00Z'), Date.UTC(2025, 0, 31, 12), 'UTC date-time');
  assert.is(parseTime('2025-01-31T13:00:00+01:00'), Date.UTC(2025, 0, 31, 12), 'offset');
  assert.is(parseTime('2025-01-31T12:00:00.250Z'), Date.UTC(2025, 0, 31, 12, 0, 0, 250), 'fraction');
  assert.is(parseTime('2025-01-31T12:00Z'), Date.UTC(2025, 0, 31, 12), 'no seconds');
  assert.is(parseTime('2025-01-31'), Date.UTC(2025, 0, 31), 'date is UTC midnight');
  assert.is(parseTime('1738324800000'), 1738324800000, 'epoch milliseconds');
});

params('parseTime refuses ambiguous or invalid times', () => {
  for (const text of ['2025-01-31T12:00:00', '2025-02-30', '2025-13-01', '2025-01-31T25:00:00Z', 'now', '', '1738324800', '-5', '1e12', '12345678901234567']) {
    assert.is(parseTime(text), null, JSON.stringify(text));
  }
});

params('parseDuration and formatDuration', () => {
  assert.is(parseDuration('90s'), 90_000, 'seconds');
  assert.is(parseDuration('15m'), 900_000, 'minutes');
  assert.is(parseDuration('1h'), 3_600_000, 'hours');
  assert.is(parseDuration('7d'), 604_800_000, 'days');
  assert.is(parseDuration('1w'), null, 'weeks are not a unit');
  assert.is(parseDuration('1.5h'), null, 'whole numbers only');
  assert.is(formatDuration(86_400_000 * 60), '60d', 'days');
  assert.is(formatDuration(5_400_000), '90m', 'minutes when hours are not whole');
});

params.run();
