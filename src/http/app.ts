// PLACEHOLDER: minimal routes; the HTTP API work replaces this file.
import { Hono } from 'hono';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/logger.ts';
import type { Announcement } from '../hub/events.ts';
import type { Store } from '../store/index.ts';
import type { Statistics } from '../stats/index.ts';
import type { FirehoseReadiness } from '../firehose/index.ts';

export interface AppOptions {
  config: Config;
  store: Store;
  statistics: Statistics;
  logger: Logger;
  announce: (announcement: Announcement) => Promise<void>;
  readiness: () => { firehose: FirehoseReadiness | null };
  clientCount: () => number;
}

export function createApp({ statistics }: AppOptions): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/api/stats', (c) => c.json(statistics.snapshot()));
  return app;
}
