/** `GET /api/stats`: the live statistics snapshot, served from memory. */
import { createRoute } from '@hono/zod-openapi';
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
  app.openapi(stats, (c) => c.json(statistics.snapshot(), 200));
}
