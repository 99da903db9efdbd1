/**
 * Endpoints for operators and orchestrators: `/healthz` (the process serves HTTP), `/readyz`
 * (the database responds, and the upstream is connected or reconnecting within its budget) and
 * `/metrics` (Prometheus text). None of them needs a token.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppOptions } from '../app-options.ts';
import { HealthSchema, ReadinessSchema } from '../schemas.ts';
import type { ApiApp } from './common.ts';

/** Default time allowed for the database check of /readyz. */
export const READINESS_TIMEOUT_MS = 2000;

const health = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness',
  description: 'Returns 200 while the process serves HTTP; checks nothing else. Open without a token.',
  security: [],
  responses: { 200: { description: 'The process is up.', content: { 'application/json': { schema: HealthSchema } } } },
});

const ready = createRoute({
  method: 'get',
  path: '/readyz',
  summary: 'Readiness',
  description:
    'Answers 200 when the database answers a query within the timeout and, when ingesting, the Jetstream connection is ' +
    'up or reconnecting within its budget; otherwise 503 with the reason. Open without a token.',
  security: [],
  responses: {
    200: { description: 'Ready.', content: { 'application/json': { schema: ReadinessSchema } } },
    503: { description: 'Not ready; `reason` gives the cause.', content: { 'application/json': { schema: ReadinessSchema } } },
  },
});

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  summary: 'Prometheus metrics',
  description: 'Prometheus text format 0.0.4. Open without a token: expose it only on a private network or restrict it at the proxy.',
  security: [],
  responses: {
    200: { description: 'The metrics.', content: { 'text/plain': { schema: z.string().openapi({ example: '# HELP skypulse_firehose_events_received_total …' }) } } },
  },
});

/** Resolves with null when `check` settles in time, or with the reason it failed or timed out. */
async function within(check: () => Promise<void>, timeoutMs: number): Promise<string | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([check().then(() => null), timeout]);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

export function registerOperationRoutes(app: ApiApp, { store, readiness, metrics, readinessTimeoutMs = READINESS_TIMEOUT_MS }: AppOptions): void {
  app.openapi(health, (c) => c.json({ status: 'ok' as const }, 200));

  app.openapi(ready, async (c) => {
    const databaseFailure = await within(() => store.ping(), readinessTimeoutMs);
    const database = { ok: databaseFailure === null, reason: databaseFailure === null ? null : `database: ${databaseFailure}` };
    const upstream = readiness().firehose;
    const firehose = upstream === null ? null : { ok: upstream.ready, reason: upstream.ready ? null : `firehose: ${upstream.reason ?? 'not ready'}` };

    const reasons = [database.reason, firehose?.reason].filter((reason): reason is string => reason !== null && reason !== undefined);
    const body = { ready: reasons.length === 0, reason: reasons.length === 0 ? null : reasons.join('; '), checks: { database, firehose } };
    return reasons.length === 0 ? c.json(body, 200) : c.json(body, 503);
  });

  app.openapi(metricsRoute, async (c) => {
    const text = await metrics.render();
    return c.text(text, 200, { 'Content-Type': metrics.contentType });
  });
}
