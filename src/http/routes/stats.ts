/** `GET /api/stats`: the live statistics snapshot, served from memory. */
import { createRoute } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import type { StatsSnapshot } from '../../hub/events.ts';
import type { AppOptions } from '../app-options.ts';
import { rejectUnknownQuery } from '../errors.ts';
import { StatsSnapshotSchema } from '../schemas.ts';
import { commonErrors, type ApiApp } from './common.ts';

const stats = createRoute({
  method: 'get',
  path: '/api/stats',
  summary: 'Live statistics',
  description:
    'Totals, rates, per-window label counts, languages, the upstream connection and connected dashboards. ' +
    'Built from memory, so polling it does not load the database. The same object is sent as the `stats` Socket.IO event.',
  middleware: [rejectUnknownQuery([])] as const,
  responses: {
    200: { description: 'The snapshot.', content: { 'application/json': { schema: StatsSnapshotSchema } } },
    400: commonErrors[400],
    401: commonErrors[401],
    429: commonErrors[429],
  },
});

export function registerStatsRoutes(app: ApiApp, { statistics }: AppOptions): void {
  // The statistics hand out the same snapshot object until they compute a new one (about
  // once a second), so its JSON text is built once per snapshot rather than once per request.
  let serialized: { snapshot: StatsSnapshot; body: string } | null = null;
  app.openapi(stats, (c) => {
    const snapshot = statistics.snapshot();
    if (serialized?.snapshot !== snapshot) serialized = { snapshot, body: JSON.stringify(snapshot) };
    // The body is the JSON text of a StatsSnapshot, so the response has the type c.json would give it.
    return c.body(serialized.body, 200, { 'Content-Type': 'application/json' }) as unknown as TypedResponse<StatsSnapshot, 200, 'json'>;
  });
}
