/** `GET /api/timeseries`: per-minute, per-hour or per-day roll-ups for a time range. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Resolution } from '../../store/types.ts';
import type { AppOptions } from '../app-options.ts';
import { badParameter, rejectUnknownQuery } from '../errors.ts';
import { choiceParameter, formatDuration, timeParameter, TIME_FORM } from '../params.ts';
import { TimeseriesSchema } from '../schemas.ts';
import { commonErrors, storeFailure, type ApiApp } from './common.ts';

/** Maximum number of buckets in one response: a day of minutes, 60 days of hours, about four years of days. */
export const MAX_BUCKETS = 1440;

export const BUCKET_MS: Record<Resolution, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Range used when `since` is not given, per resolution. */
const DEFAULT_SPAN_MS: Record<Resolution, number> = { minute: 3_600_000, hour: 48 * 3_600_000, day: 30 * 86_400_000 };

const TimeseriesQuery = z.object({
  resolution: choiceParameter(['minute', 'hour', 'day'], 'Bucket size; buckets start at whole UTC minutes, hours or days.').default('minute'),
  since: timeParameter('Start of the range; default one hour (minute), two days (hour) or 30 days (day) before `until`.').optional(),
  until: timeParameter('End of the range; default now.').optional(),
});

const timeseries = createRoute({
  method: 'get',
  path: '/api/timeseries',
  summary: 'Post counts, labels and mean compound per time bucket',
  description: `The range is widened to whole buckets and may span at most ${MAX_BUCKETS} buckets.`,
  middleware: [rejectUnknownQuery(Object.keys(TimeseriesQuery.shape))] as const,
  request: { query: TimeseriesQuery },
  responses: {
    200: { description: 'The series, oldest bucket first.', content: { 'application/json': { schema: TimeseriesSchema } } },
    ...commonErrors,
  },
});

export function registerTimeseriesRoutes(app: ApiApp, { store, logger, now = Date.now }: AppOptions): void {
  app.openapi(timeseries, async (c) => {
    const { resolution, since: sinceParam, until: untilParam } = c.req.valid('query');
    const size = BUCKET_MS[resolution];
    const until = untilParam ?? now();
    const since = sinceParam ?? until - DEFAULT_SPAN_MS[resolution];
    if (since >= until) {
      throw badParameter('until', c.req.query('until') ?? null, `${TIME_FORM}, later than since`);
    }

    const start = Math.floor(since / size) * size;
    const end = Math.ceil(until / size) * size;
    const buckets = (end - start) / size;
    if (buckets > MAX_BUCKETS) {
      const expected = `a range of at most ${MAX_BUCKETS} buckets: ${formatDuration(MAX_BUCKETS * size)} at ${resolution} resolution`;
      const message = `Range too large: ${buckets} ${resolution} buckets, the maximum is ${MAX_BUCKETS}; narrow since/until or pick a coarser resolution.`;
      throw badParameter('since', c.req.query('since') ?? null, expected, message);
    }

    try {
      const points = await store.timeseries({ resolution, since: start, until: end });
      return c.json(
        { resolution, since: new Date(start).toISOString(), until: new Date(end).toISOString(), points },
        200,
      );
    } catch (error) {
      throw storeFailure(c, error, logger);
    }
  });
}
