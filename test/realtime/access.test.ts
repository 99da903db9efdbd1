import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { io as connectClient } from 'socket.io-client';
import { TOKEN_COOKIE } from '../../src/config/access.ts';
import { connect, request, startRealtimeServer, withTimeout, type RealtimeServer, type TestClient } from './helpers.ts';

const TOKEN = 'dashboard-secret-1';

const access = suite<{ server?: RealtimeServer; clients: TestClient[] }>('realtime access', { clients: [] });

access.after.each(async (context) => {
  for (const client of context.clients) client.close();
  context.clients = [];
  await context.server?.close();
  context.server = undefined;
});

/** Resolves with the connect_error message, or "connected". */
function outcome(url: string, options: Parameters<typeof connectClient>[1]): Promise<string> {
  const client = connectClient(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...options });
  return withTimeout(
    new Promise<string>((resolve) => {
      client.once('connect', () => resolve('connected'));
      client.once('connect_error', (error) => resolve(error.message));
    }),
    5000,
    'connect or connect_error',
  ).finally(() => client.close());
}

access('dashboard token is required in the handshake', async (context) => {
  const server = (context.server = await startRealtimeServer({ DASHBOARD_TOKEN: TOKEN }));
  assert.match(await outcome(server.url, {}), /unauthorized/, 'no token is rejected');
  assert.match(await outcome(server.url, { auth: { token: 'wrong' } }), /unauthorized/, 'a wrong token is rejected');
  assert.is(await outcome(server.url, { auth: { token: TOKEN } }), 'connected', 'auth.token');
  assert.is(await outcome(server.url, { extraHeaders: { authorization: `Bearer ${TOKEN}` } }), 'connected', 'bearer header');
  assert.is(await outcome(server.url, { extraHeaders: { cookie: `${TOKEN_COOKIE}=${TOKEN}` } }), 'connected', 'token cookie');
  assert.is(await outcome(server.url, { query: { token: TOKEN } }), 'connected', 'token query parameter');
  assert.is(
    await outcome(server.url, { auth: { token: TOKEN }, extraHeaders: { cookie: `${TOKEN_COOKIE}=stale` } }),
    'connected',
    'a right auth.token wins over a stale cookie',
  );
});

access('other origins are rejected unless listed', async (context) => {
  const server = (context.server = await startRealtimeServer());
  assert.is(await outcome(server.url, { extraHeaders: { origin: server.url } }), 'connected', 'same origin');
  assert.is(await outcome(server.url, {}), 'connected', 'no Origin header (not a browser)');
  assert.match(await outcome(server.url, { extraHeaders: { origin: 'http://evil.example' } }), /websocket error|xhr poll error|403/i, 'websocket from another origin');
  const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'http://evil.example' } });
  assert.is(polling.status, 403, 'polling handshake from another origin');
  assert.match(await polling.text(), /origin not allowed/, 'the response says why');
});

access('listed origins get CORS headers', async (context) => {
  const server = (context.server = await startRealtimeServer({ CORS_ORIGINS: ['http://allowed.example'] }));
  assert.is(await outcome(server.url, { extraHeaders: { origin: 'http://allowed.example' } }), 'connected', 'listed origin over websocket');
  const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'http://allowed.example' } });
  assert.is(polling.status, 200, 'polling handshake from the listed origin');
  assert.is(polling.headers.get('access-control-allow-origin'), 'http://allowed.example', 'CORS header names the origin');
  assert.match(await polling.text(), /^0\{"sid"/, 'engine.io handshake body');
});

access('an oversized message closes only that connection', async (context) => {
  const server = (context.server = await startRealtimeServer());
  const bystander = await connect(server.url);
  const offender = await connect(server.url);
  context.clients.push(bystander, offender);
  const gone = new Promise<string>((resolve) => offender.once('disconnect', resolve));
  (offender.emit as (...args: unknown[]) => void)('track', { kind: 'keyword', value: 'z'.repeat(100_000) });
  assert.ok(await withTimeout(gone, 5000, 'the offender to be disconnected'), 'the offender is disconnected');
  const ack = await request(bystander, 'track', { kind: 'keyword', value: 'fine' });
  assert.is(ack.ok, true, 'the other client is still served');
});

access.run();
