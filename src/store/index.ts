// PLACEHOLDER: minimal store so the foundation runs; the storage work replaces this file.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/logger.ts';
import type { Hub } from '../hub/hub.ts';
import type { HubEvents, IngestBatch, LabelCounts } from '../hub/events.ts';

export interface StoreOptions {
  config: Config;
  logger: Logger;
  now?: () => number;
}

export interface Store {
  readonly client: Client;
  /** Subscribes the store to the hub's `batch` events. */
  attach(hub: Hub<HubEvents>): void;
  applyBatch(batch: IngestBatch): Promise<void>;
  readCursor(): Promise<number | null>;
  /** Posts stored now by label, kept in memory. */
  totals(): LabelCounts & { posts: number };
  /** Runs a trivial query; rejects when the database is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openStore({ config, logger }: StoreOptions): Promise<Store> {
  const url = config.DATABASE_URL;
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  }
  const client = createClient({ url, authToken: config.DATABASE_AUTH_TOKEN, timeout: 5000 } as Parameters<typeof createClient>[0]);
  try {
    await client.execute('SELECT 1');
    if (url.startsWith('file:')) await client.execute('PRAGMA journal_mode=WAL');
    await client.execute('CREATE TABLE IF NOT EXISTS cursor (id INTEGER PRIMARY KEY CHECK (id = 1), time_us INTEGER NOT NULL)');
  } catch (error) {
    client.close();
    throw new Error(`Cannot open database DATABASE_URL=${JSON.stringify(url)}: ${(error as Error).message}`, { cause: error });
  }
  logger.debug({ url }, 'database opened');
  const totals = { posts: 0, positive: 0, neutral: 0, negative: 0, unscored: 0 };
  let closed = false;
  const store: Store = {
    client,
    attach(hub) {
      hub.subscribe('batch', (batch) => store.applyBatch(batch));
    },
    async applyBatch(batch) {
      await client.execute({ sql: 'INSERT INTO cursor (id, time_us) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET time_us = excluded.time_us', args: [batch.cursor] });
    },
    async readCursor() {
      const result = await client.execute('SELECT time_us FROM cursor WHERE id = 1');
      return result.rows.length ? Number(result.rows[0]!.time_us) : null;
    },
    totals: () => ({ ...totals }),
    async ping() {
      await client.execute('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      client.close();
    },
  };
  return store;
}
