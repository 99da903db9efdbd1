import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { json, openHarness, type Harness } from './harness.ts';
import { AnnouncementSchema } from '../../src/http/schemas.ts';

const DASHBOARD_TOKEN = 'dashboard-token-0123456789';
const ADMIN_TOKEN = 'admin-token-0123456789';

// ---

const token = suite<{ harness: Harness }>('DASHBOARD_TOKEN');

token.before(async (context) => {
  context.harness = await openHarness({ env: { DASHBOARD_TOKEN, ADMIN_TOKEN } });
});
token.after(async (context) => context.harness.close());

token('API without a token gets 401 JSON', async ({ harness }) => {
  const response = await harness.app.request('/api/stats');
  assert.is(response.status, 401, 'status');
  assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/, 'WWW-Authenticate header');
  const body = await json(response);
  assert.match(body.error.message, /token/, 'message explains what is missing');
});

token('API accepts bearer, cookie and query token', async ({ harness }) => {
  const bearer = await harness.app.request('/api/stats', { headers: { Authorization: `Bearer ${DASHBOARD_TOKEN}` } });
  assert.is(bearer.status, 200, 'bearer header');
  const cookie = await harness.app.request('/api/stats', { headers: { Cookie: `other=1; skypulse_token=${DASHBOARD_TOKEN}` } });
  assert.is(cookie.status, 200, 'cookie');
  const query = await harness.app.request(`/api/posts?limit=1&token=${DASHBOARD_TOKEN}`);
  assert.is(query.status, 200, 'query token is not rejected as an unknown parameter');
  const admin = await harness.app.request('/api/stats', { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  assert.is(admin.status, 200, 'admin token also opens the API');
});

token('wrong token gets 401', async ({ harness }) => {
  const response = await harness.app.request('/api/stats', { headers: { Authorization: 'Bearer wrong' } });
  assert.is(response.status, 401, 'status');
});

token('page without a token gets the locked page', async ({ harness }) => {
  const response = await harness.app.request('/');
  assert.is(response.status, 401, 'status');
  assert.match(response.headers.get('content-type') ?? '', /text\/html/, 'HTML for browsers');
  assert.match(await response.text(), /access token/, 'explains the token');
  const bundle = await harness.app.request('/dist/app.js');
  assert.is(bundle.status, 401, 'files of the page are locked too');
});

token('/?token= sets the cookie and redirects to /', async ({ harness }) => {
  const response = await harness.app.request(`/?token=${DASHBOARD_TOKEN}`);
  assert.is(response.status, 303, 'redirect');
  assert.is(response.headers.get('location'), '/', 'to the page without the token');
  const cookie = response.headers.get('set-cookie') ?? '';
  assert.match(cookie, `skypulse_token=${DASHBOARD_TOKEN}`, 'cookie value');
  assert.match(cookie, /HttpOnly/, 'HttpOnly');
  assert.match(cookie, /SameSite=Strict/, 'SameSite=Strict');
  assert.match(cookie, /Path=\//, 'whole site');
  assert.not.match(cookie, /Secure/, 'no Secure flag over plain HTTP');
  const page = await harness.app.request('/', { headers: { Cookie: `skypulse_token=${DASHBOARD_TOKEN}` } });
  assert.is(page.status, 200, 'the cookie opens the page');
});

token('/?token= from another site continues with a same-site refresh', async ({ harness }) => {
  const response = await harness.app.request(`/?token=${DASHBOARD_TOKEN}`, { headers: { 'Sec-Fetch-Site': 'cross-site' } });
  assert.is(response.status, 200, 'a page instead of a redirect');
  assert.match(response.headers.get('set-cookie') ?? '', /skypulse_token=/, 'cookie set');
  assert.match(await response.text(), /http-equiv="refresh" content="0; url=\/"/, 'meta refresh to /');
});

token('cookie gets Secure behind a TLS proxy', async () => {
  const proxied = await openHarness({ env: { DASHBOARD_TOKEN, TRUST_PROXY: 'true' }, posts: [] });
  const response = await proxied.app.request(`/?token=${DASHBOARD_TOKEN}`, { headers: { 'X-Forwarded-Proto': 'https' } });
  assert.match(response.headers.get('set-cookie') ?? '', /Secure/, 'Secure flag');
  await proxied.close();
});

token('/?token= with a wrong token sets no cookie', async ({ harness }) => {
  const response = await harness.app.request('/?token=wrong');
  assert.is(response.status, 401, 'status');
  assert.is(response.headers.get('set-cookie'), null, 'no cookie');
});

token('health, readiness and metrics stay open', async ({ harness }) => {
  for (const path of ['/healthz', '/readyz', '/metrics']) {
    const response = await harness.app.request(path);
    assert.is(response.status, 200, `${path} without a token`);
  }
});

token.run();

// ---

const announcements = suite<{ harness: Harness }>('POST /api/announcements');

announcements.before(async (context) => {
  context.harness = await openHarness({ env: { ADMIN_TOKEN }, posts: [] });
});
announcements.after(async (context) => context.harness.close());

const post = (harness: Harness, body: unknown, headers: Record<string, string> = { Authorization: `Bearer ${ADMIN_TOKEN}` }) =>
  harness.app.request('/api/announcements', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

announcements('publishes to the hub and returns 201', async ({ harness }) => {
  const response = await post(harness, { message: '  Maintenance at 18:00 UTC\nback soon  ', level: 'warning' });
  assert.is(response.status, 201, 'status');
  const body = AnnouncementSchema.parse(await response.json());
  assert.is(body.message, 'Maintenance at 18:00 UTC\nback soon', 'message trimmed, line break kept');
  assert.is(body.level, 'warning', 'level');
  assert.is(body.createdAt, new Date(harness.now).toISOString(), 'createdAt from the clock');
  assert.equal(harness.announcements.at(-1), body, 'the same object was published');
});

announcements('level defaults to info', async ({ harness }) => {
  const body = await json(await post(harness, { message: 'Hello' }));
  assert.is(body.level, 'info', 'default level');
});

announcements('needs the admin bearer token', async ({ harness }) => {
  const before = harness.announcements.length;
  const missing = await post(harness, { message: 'x' }, {});
  assert.is(missing.status, 401, 'no token');
  assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/, 'WWW-Authenticate');
  const wrong = await post(harness, { message: 'x' }, { Authorization: 'Bearer nope' });
  assert.is(wrong.status, 401, 'wrong token');
  const inQuery = await harness.app.request(`/api/announcements?token=${ADMIN_TOKEN}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{"message":"x"}',
  });
  assert.is(inQuery.status, 401, 'the admin token only counts as a header');
  assert.is(harness.announcements.length, before, 'nothing published');
});

for (const [name, body, parameter] of [
  ['empty message', { message: '   ' }, 'message'],
  ['missing message', { level: 'info' }, 'message'],
  ['too long', { message: 'x'.repeat(501) }, 'message'],
  ['control character', { message: 'bell\u0007' }, 'message'],
  ['unknown level', { message: 'x', level: 'urgent' }, 'level'],
  ['unknown field', { message: 'x', html: '<b>' }, 'html'],
] as const) {
  announcements(`400 for ${name}`, async ({ harness }) => {
    const response = await post(harness, body);
    assert.is(response.status, 400, 'status');
    const error = (await json(response)).error;
    assert.is(error.parameter, parameter, 'names the field');
    assert.type(error.expected, 'string', 'gives the accepted form');
  });
}

announcements('400 for malformed JSON', async ({ harness }) => {
  const response = await post(harness, '{"message": ');
  assert.is(response.status, 400, 'status');
  assert.is((await json(response)).error.parameter, 'body', 'names the body');
});

announcements('415 for another content type', async ({ harness }) => {
  const response = await harness.app.request('/api/announcements', {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'text/plain' },
    body: 'hello',
  });
  assert.is(response.status, 415, 'status');
  assert.match((await json(response)).error.expected, /application\/json/, 'names the accepted type');
});

announcements('413 for a body over 16 KiB', async ({ harness }) => {
  const response = await post(harness, { message: 'x'.repeat(20_000) });
  assert.is(response.status, 413, 'status');
  assert.is((await json(response)).error.parameter, 'body', 'names the body');
});

announcements('404 when ADMIN_TOKEN is unset', async () => {
  const disabled = await openHarness({ posts: [] });
  const response = await post(disabled, { message: 'x' });
  assert.is(response.status, 404, 'status');
  assert.match((await json(response)).error.message, /ADMIN_TOKEN/, 'says how to enable it');
  assert.is(disabled.announcements.length, 0, 'nothing published');
  await disabled.close();
});

announcements.run();

// ---

const cors = suite('CORS_ORIGINS');

cors('unset: no CORS headers', async () => {
  const harness = await openHarness({ posts: [] });
  const response = await harness.app.request('/api/stats', { headers: { Origin: 'https://elsewhere.example' } });
  assert.is(response.headers.get('access-control-allow-origin'), null, 'same origin only');
  await harness.close();
});

cors('listed origin is allowed, others are not', async () => {
  const harness = await openHarness({ env: { CORS_ORIGINS: 'https://newsroom.example,https://lab.example', DASHBOARD_TOKEN }, posts: [] });
  const allowed = await harness.app.request('/api/stats', {
    headers: { Origin: 'https://lab.example', Authorization: `Bearer ${DASHBOARD_TOKEN}` },
  });
  assert.is(allowed.headers.get('access-control-allow-origin'), 'https://lab.example', 'listed origin echoed');
  const other = await harness.app.request('/api/stats', { headers: { Origin: 'https://evil.example', Authorization: `Bearer ${DASHBOARD_TOKEN}` } });
  assert.is(other.headers.get('access-control-allow-origin'), null, 'unlisted origin not allowed');

  const preflight = await harness.app.request('/api/posts', {
    method: 'OPTIONS',
    headers: { Origin: 'https://lab.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
  });
  assert.is(preflight.status, 204, 'preflight answered without a token');
  assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/i, 'Authorization allowed');
  await harness.close();
});

cors.run();
