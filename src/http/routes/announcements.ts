/**
 * `POST /api/announcements`: an operator message shown on every dashboard. It needs ADMIN_TOKEN
 * as a bearer token. While ADMIN_TOKEN is unset the route returns 404, as if it did not exist.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { createRoute } from '@hono/zod-openapi';
import { tokenMatches } from '../../config/access.ts';
import type { Announcement } from '../../hub/events.ts';
import type { AppOptions } from '../app-options.ts';
import { ApiError, detail, rejectUnknownQuery, sendError } from '../errors.ts';
import { AnnouncementRequestSchema, AnnouncementSchema } from '../schemas.ts';
import { commonErrors, errorResponse, type ApiApp } from './common.ts';

/** Largest request body of the API, in bytes; larger ones get 413. */
export const API_BODY_LIMIT_BYTES = 16 * 1024;

function adminOnly(adminToken: string | undefined) {
  return async (c: Context, next: () => Promise<void>) => {
    if (!adminToken) {
      return sendError(c, 404, [detail(null, null, 'ADMIN_TOKEN set on the server', 'Announcements are disabled: the operator has not set ADMIN_TOKEN.')]);
    }
    // Only the header counts: an admin token in a URL or cookie could leak through logs or other pages.
    const bearer = c.req.header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? null;
    if (!tokenMatches(adminToken, bearer)) {
      return sendError(c, 401, [detail(null, null, 'Authorization: Bearer <ADMIN_TOKEN>', 'Missing or invalid admin token: send Authorization: Bearer <ADMIN_TOKEN>.')], {
        'WWW-Authenticate': 'Bearer realm="skypulse-admin"',
      });
    }
    await next();
  };
}

export function registerAnnouncementRoutes(app: ApiApp, { config, announce, logger, now = Date.now }: AppOptions): void {
  const route = createRoute({
    method: 'post',
    path: '/api/announcements',
    summary: 'Send an operator message to every dashboard',
    description:
      'Needs `Authorization: Bearer <ADMIN_TOKEN>`; answers 404 when ADMIN_TOKEN is unset. Dashboards receive the ' +
      `\`announcement\` Socket.IO event with the returned object. Bodies over ${API_BODY_LIMIT_BYTES} bytes get 413.`,
    security: [{ adminBearer: [] }],
    middleware: [adminOnly(config.ADMIN_TOKEN), rejectUnknownQuery([])] as const,
    request: {
      body: { required: true, content: { 'application/json': { schema: AnnouncementRequestSchema } } },
    },
    responses: {
      201: { description: 'Published.', content: { 'application/json': { schema: AnnouncementSchema } } },
      400: commonErrors[400],
      401: errorResponse('The admin bearer token is missing or wrong.'),
      404: errorResponse('Announcements are disabled (ADMIN_TOKEN unset).'),
      413: errorResponse(`The body is larger than ${API_BODY_LIMIT_BYTES} bytes.`),
      415: errorResponse('The body is not application/json.'),
      429: commonErrors[429],
    },
  });

  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    const announcement: Announcement = { id: randomUUID(), message: body.message, level: body.level, createdAt: new Date(now()).toISOString() };
    try {
      await announce(announcement);
    } catch (error) {
      logger.error({ err: error, announcementId: announcement.id }, 'announcement failed');
      throw new ApiError(500, [detail(null, null, 'a working Socket.IO layer', 'The announcement could not be sent.')]);
    }
    logger.info({ announcementId: announcement.id, level: announcement.level }, 'announcement sent');
    return c.json(announcement, 201);
  });
}
