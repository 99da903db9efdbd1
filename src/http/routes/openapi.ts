/** `GET /api/openapi.json`: the OpenAPI 3.1 document generated from the route schemas. */
import { createRoute, z } from '@hono/zod-openapi';
import { SERVICE_VERSION } from '../../version.ts';
import type { ApiApp } from './common.ts';

const DESCRIPTION =
  'Live and stored sentiment of Bluesky posts. Every parameter is validated: a bad one gets 400 with ' +
  '`{ "error": { "parameter", "value", "expected", "message" } }`. When the server sets DASHBOARD_TOKEN, every ' +
  'path except /healthz, /readyz and /metrics needs the token (bearer header, `skypulse_token` cookie or `?token=`).';

const openApiRoute = createRoute({
  method: 'get',
  path: '/api/openapi.json',
  summary: 'This document',
  responses: {
    200: { description: 'OpenAPI 3.1 document.', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
  },
});

export function registerOpenApiRoute(app: ApiApp): void {
  const registry = app.openAPIRegistry;
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'DASHBOARD_TOKEN (or ADMIN_TOKEN).' });
  registry.registerComponent('securitySchemes', 'cookie', { type: 'apiKey', in: 'cookie', name: 'skypulse_token', description: 'Set by opening /?token=<DASHBOARD_TOKEN>.' });
  registry.registerComponent('securitySchemes', 'queryToken', { type: 'apiKey', in: 'query', name: 'token', description: 'DASHBOARD_TOKEN in the URL.' });
  registry.registerComponent('securitySchemes', 'adminBearer', { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN.' });

  // Generated on first request: every route is registered by then, and the result never changes.
  let document: unknown;
  app.openapi(openApiRoute, (c) => {
    document ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: { title: 'skypulse HTTP API', version: SERVICE_VERSION, description: DESCRIPTION, license: { name: 'MIT', url: 'https://opensource.org/license/mit' } },
      // An empty requirement makes the token optional, matching a server without DASHBOARD_TOKEN.
      security: [{ bearer: [] }, { cookie: [] }, { queryToken: [] }, {}],
    });
    return c.json(document as Record<string, unknown>, 200);
  });
}
