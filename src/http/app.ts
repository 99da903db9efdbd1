/**
 * The HTTP app: JSON API under /api (validated by zod schemas that also generate
 * /api/openapi.json), health, readiness and metrics endpoints, and the dashboard's static files.
 * Socket.IO shares the HTTP server but attaches in front of this app, so `/socket.io/` requests
 * never get here while the service is wired correctly.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { matchedRoutes } from 'hono/route';
import { OpenAPIHono } from '@hono/zod-openapi';
import { rateLimited } from '../log/logger.ts';
import type { AppEnv } from './app-env.ts';
import type { AppOptions } from './app-options.ts';
import { dashboardAccess } from './access.ts';
import { ApiError, detail, sendError, validationHook } from './errors.ts';
import { apiRateLimit } from './rate-limit.ts';
import { securityHeaders } from './security-headers.ts';
import { defaultStaticRoot, staticFiles } from './static-files.ts';
import { API_BODY_LIMIT_BYTES, registerAnnouncementRoutes } from './routes/announcements.ts';
import { registerExportRoutes } from './routes/export.ts';
import { registerOpenApiRoute } from './routes/openapi.ts';
import { registerOperationRoutes } from './routes/operations.ts';
import { registerPostRoutes } from './routes/posts.ts';
import { registerStatsRoutes } from './routes/stats.ts';
import { registerTimeseriesRoutes } from './routes/timeseries.ts';

export type { AppOptions, HttpStore } from './app-options.ts';

/** Engine.io's default path; the HTTP app must leave it to Socket.IO. */
const SOCKET_IO_PREFIX = '/socket.io/';

/** Returns the metrics label: the template of the API route matched, else what the app recorded. */
function routeLabel(c: Context<AppEnv>): string {
  const endpoint = matchedRoutes(c).findLast((route) => route.method !== 'ALL');
  return endpoint?.path ?? c.get('routeLabel') ?? 'unmatched';
}

export function createApp(options: AppOptions): OpenAPIHono<AppEnv> {
  const { config, logger, metrics } = options;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const reportSocketPath = rateLimited(1, 60_000);

  app.use('*', async function recordRequest(c, next) {
    const started = performance.now();
    await next();
    metrics.observeRequest(c.req.method, routeLabel(c), c.res.status, (performance.now() - started) / 1000);
  });

  app.use(`${SOCKET_IO_PREFIX}*`, async (c, next) => {
    // Hono's pattern also matches "/socket.io", which engine.io does not claim.
    if (!c.req.path.startsWith(SOCKET_IO_PREFIX)) return next();
    // Reaching here means Socket.IO was not attached in front of this app on the same server.
    reportSocketPath((suppressed) => logger.error({ path: c.req.path, suppressed }, 'a Socket.IO request reached the HTTP app; Socket.IO is not attached to this server'));
    return sendError(c, 404, [detail(null, null, 'a Socket.IO server on this path', 'Socket.IO is not served here.')]);
  });

  app.use('*', securityHeaders());

  const origins = config.CORS_ORIGINS ?? [];
  if (origins.length > 0) {
    app.use(
      '/api/*',
      cors({
        origin: origins.includes('*') ? '*' : [...origins],
        allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Content-Type'],
        exposeHeaders: ['Content-Disposition', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
        maxAge: 600,
      }),
    );
  }

  app.use('*', dashboardAccess({ dashboardToken: config.DASHBOARD_TOKEN, adminToken: config.ADMIN_TOKEN, trustProxy: config.TRUST_PROXY }));

  // Set before the handler runs, so the response is built with it: a header added to a finished
  // response makes @hono/node-server turn its fast string body into a web stream.
  app.use('/api/*', (c, next) => {
    c.header('Cache-Control', 'no-store');
    return next();
  });
  app.use(
    '/api/*',
    apiRateLimit({ limit: config.RATE_LIMIT_PER_MINUTE, windowMs: options.rateLimitWindowMs ?? 60_000, trustProxy: config.TRUST_PROXY }),
  );
  const limitBody = bodyLimit({
    maxSize: API_BODY_LIMIT_BYTES,
    onError: (c) => sendError(c, 413, [detail('body', null, `a body of at most ${API_BODY_LIMIT_BYTES} bytes`, `Request body too large: the limit is ${API_BODY_LIMIT_BYTES} bytes.`)]),
  });
  // The body check reads the raw request, which makes @hono/node-server build a full fetch
  // Request with its own AbortSignal. GET and HEAD requests, the bulk of API traffic, skip it.
  app.use('/api/*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));

  registerStatsRoutes(app, options);
  registerPostRoutes(app, options);
  registerTimeseriesRoutes(app, options);
  registerExportRoutes(app, options);
  registerAnnouncementRoutes(app, options);
  registerOperationRoutes(app, options);
  registerOpenApiRoute(app);

  app.use('*', staticFiles(options.staticRoot ?? defaultStaticRoot()));

  app.notFound((c) => {
    if (c.req.path === '/api' || c.req.path.startsWith('/api/')) {
      return sendError(c, 404, [detail(null, null, 'a path listed in /api/openapi.json', `No API route ${c.req.method} ${c.req.path}; see /api/openapi.json.`)]);
    }
    return c.text('Not found.', 404);
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) return sendError(c, error.status, error.details, error.headers);
    if (error instanceof HTTPException) {
      const status = error.status;
      const parameter = status === 400 || status === 415 ? 'body' : null;
      let expected = 'a valid request';
      if (status === 415) expected = 'Content-Type: application/json';
      else if (status === 400) expected = 'a JSON body';
      return sendError(c, status, [detail(parameter, null, expected, `${error.message || 'Invalid request'}.`)]);
    }
    logger.error({ err: error, method: c.req.method, path: c.req.path }, 'request failed');
    return sendError(c, 500, [detail(null, null, 'a request the service can answer', 'Internal error.')]);
  });

  return app;
}
