/**
 * Helpers for storage tests: a store on a fresh `file:` database in a temporary folder (removed
 * with its -wal and -shm files), a logger that keeps its lines, and builders of effects.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { createLogger, type Logger } from '../../src/log/logger.ts';
import type { IngestEffect, PostRecord, SentimentLabel } from '../../src/hub/events.ts';
import { openStore, type Store, type StoreOptions } from '../../src/store/index.ts';

export interface TestDatabase {
  folder: string;
  path: string;
  url: string;
  /** Removes the folder; asserts nothing is left of the database, its WAL and shared memory. */
  remove(): void;
}

export function testDatabase(): TestDatabase {
  const folder = mkdtempSync(join(tmpdir(), 'skypulse-store-'));
  const path = join(folder, 'data', 'test.db');
  return {
    folder,
    path,
    url: `file:${path}`,
    remove() {
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
      rmSync(folder, { recursive: true, force: true });
      if (existsSync(folder)) throw new Error(`Temporary folder ${folder} still exists: ${readdirSync(folder).join(', ')}`);
    },
  };
}

/** Creates a logger that keeps its JSON lines in `lines`. */
export function capturingLogger(level: 'debug' | 'info' | 'warn' = 'info'): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** Returns the error that `promise` rejects with, and throws when it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

export function testConfig(url: string, overrides: Record<string, string> = {}): Config {
  return loadConfig({ DATABASE_URL: url, ...overrides });
}

/** Opens a writer store without timers unless `options` sets an interval. */
export function openTestStore(url: string, options: Partial<StoreOptions> & { env?: Record<string, string> } = {}): Promise<Store> {
  const { env, ...rest } = options;
  return openStore({
    config: testConfig(url, env),
    logger: rest.logger ?? capturingLogger().logger,
    pruneIntervalMs: 0,
    retryMinMs: 10,
    retryMaxMs: 200,
    ...rest,
  });
}

export const BASE_US = 1_783_175_880_000_000;

export interface PostOptions {
  text?: string;
  langs?: string[];
  label?: SentimentLabel;
  compound?: number;
  timeUs?: number;
}

const DEFAULT_COMPOUND: Record<SentimentLabel, number> = { positive: 0.5, neutral: 0, negative: -0.5, unscored: 0 };

export function post(did: string, rkey: string, options: PostOptions = {}): PostRecord {
  const timeUs = options.timeUs ?? BASE_US;
  const label = options.label ?? 'positive';
  const compound = options.compound ?? DEFAULT_COMPOUND[label];
  return {
    uri: `at://${did}/app.bsky.feed.post/${rkey}`,
    did,
    rkey,
    text: options.text ?? `post ${rkey} by ${did}`,
    langs: options.langs ?? ['en'],
    createdAt: new Date(timeUs / 1000).toISOString(),
    indexedAt: new Date(timeUs / 1000).toISOString(),
    timeUs,
    isReply: false,
    isQuote: false,
    sentiment: { neg: compound < 0 ? -compound : 0, neu: 1 - Math.abs(compound), pos: compound > 0 ? compound : 0, compound, label },
  };
}

export const create = (record: PostRecord): IngestEffect => ({ kind: 'upsert', operation: 'create', post: record });
export const update = (record: PostRecord): IngestEffect => ({ kind: 'upsert', operation: 'update', post: record });
export const remove = (record: PostRecord, timeUs = record.timeUs + 1): IngestEffect => ({ kind: 'delete', uri: record.uri, did: record.did, timeUs });
export const removeAccount = (did: string, timeUs = BASE_US): IngestEffect => ({ kind: 'account-removed', did, status: 'deleted', timeUs });

/** Reads every row of `table` ordered by `order`, as plain objects for equality checks. */
export async function tableRows(store: Store, table: string, order: string): Promise<unknown[]> {
  const result = await store.client.execute(`SELECT * FROM ${table} ORDER BY ${order}`);
  return result.rows.map((row) => ({ ...row }));
}

/** Post uris matched by an FTS5 query, checked against the index directly. */
export async function ftsMatches(store: Store, query: string): Promise<string[]> {
  const result = await store.client.execute({
    sql: 'SELECT p.uri FROM posts_fts f JOIN posts p ON p.id = f.rowid WHERE posts_fts MATCH ? ORDER BY p.uri',
    args: [query],
  });
  return result.rows.map((row) => String(row[0]));
}
