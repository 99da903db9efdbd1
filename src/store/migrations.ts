/**
 * Versioned schema. `PRAGMA user_version` stores the version a file was last migrated to. Each
 * migration runs in one write transaction together with the version bump, so a crash leaves
 * the file at the old or the new version, never between.
 */
import type { Client } from '@libsql/client';
import { StoreError } from './errors.ts';

/** Statements of each version, in order; index 0 is version 1. Never edit a released entry. */
const MIGRATIONS: readonly (readonly string[])[] = [
  [
    // `id` is the rowid that the full-text index refers to; `uri` is the identity upserts use.
    `CREATE TABLE IF NOT EXISTS posts (
      id INTEGER PRIMARY KEY,
      uri TEXT NOT NULL UNIQUE,
      did TEXT NOT NULL,
      rkey TEXT NOT NULL,
      text TEXT NOT NULL,
      langs TEXT NOT NULL,
      language TEXT NOT NULL,
      created_at TEXT,
      time_us INTEGER NOT NULL,
      is_reply INTEGER NOT NULL,
      is_quote INTEGER NOT NULL,
      neg REAL NOT NULL,
      neu REAL NOT NULL,
      pos REAL NOT NULL,
      compound REAL NOT NULL,
      label TEXT NOT NULL
    )`,
    // Each index ends in the implicit rowid, the tie-breaker of the (time_us, id) keyset order.
    // There is deliberately no label index: every label is common, so label filters walk
    // posts_time and skip few rows, and each index costs every insert. Account removals find
    // a DID's posts through the uri index, since every uri starts with `at://<did>/`.
    'CREATE INDEX IF NOT EXISTS posts_time ON posts (time_us)',
    'CREATE INDEX IF NOT EXISTS posts_language_time ON posts (language, time_us)',
    // External-content index: the text lives once, in posts; the store feeds it per batch.
    // columnsize=0 drops the per-row size table, used only for ranking, which no query does.
    // NOTE: unicode61 makes each run of Japanese or Chinese text one token, so a keyword inside
    // such a run is not found; a trigram index would fix it at a write cost not measured yet.
    `CREATE VIRTUAL TABLE IF NOT EXISTS posts_fts USING fts5 (
      text, content = 'posts', content_rowid = 'id', columnsize = 0,
      tokenize = 'unicode61 remove_diacritics 2'
    )`,
    'CREATE TABLE IF NOT EXISTS cursor (id INTEGER PRIMARY KEY CHECK (id = 1), time_us INTEGER NOT NULL)',
    // compound_sum_micro is the sum of round(compound * 1e6): integers add and subtract exactly.
    `CREATE TABLE IF NOT EXISTS rollup_minutes (
      minute_start INTEGER PRIMARY KEY,
      positive INTEGER NOT NULL DEFAULT 0,
      neutral INTEGER NOT NULL DEFAULT 0,
      negative INTEGER NOT NULL DEFAULT 0,
      unscored INTEGER NOT NULL DEFAULT 0,
      scored INTEGER NOT NULL DEFAULT 0,
      compound_sum_micro INTEGER NOT NULL DEFAULT 0
    )`,
    `CREATE TABLE IF NOT EXISTS rollup_languages (
      minute_start INTEGER NOT NULL,
      language TEXT NOT NULL,
      posts INTEGER NOT NULL,
      PRIMARY KEY (minute_start, language)
    ) WITHOUT ROWID`,
  ],
  [
    // The one process allowed to ingest. Times are milliseconds on the database's clock.
    `CREATE TABLE IF NOT EXISTS ingest_lease (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      owner TEXT NOT NULL,
      host TEXT NOT NULL,
      pid INTEGER NOT NULL,
      acquired_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    )`,
  ],
];

/** Schema version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;

export async function readSchemaVersion(client: Pick<Client, 'execute'>): Promise<number> {
  const result = await client.execute('PRAGMA user_version');
  return Number(result.rows[0]?.[0] ?? 0);
}

/** Rejects a file written by a newer release before anything touches it. */
export function checkNotNewer(version: number, url: string): void {
  if (version <= SCHEMA_VERSION) return;
  throw new StoreError(
    'SCHEMA_TOO_NEW',
    `The database at DATABASE_URL=${JSON.stringify(url)} has schema version ${version}, but this release of skypulse ` +
      `understands versions up to ${SCHEMA_VERSION}. Upgrade skypulse, or point DATABASE_URL at another file.`,
  );
}

/** Applies every missing migration; returns the versions applied. */
export async function migrate(client: Client, url: string): Promise<number[]> {
  const applied: number[] = [];
  for (;;) {
    const version = await readSchemaVersion(client);
    checkNotNewer(version, url);
    if (version >= SCHEMA_VERSION) return applied;

    const next = version + 1;
    // The version is read again inside the write transaction, so two processes starting at
    // once cannot both apply the same step: the second one finds the bump and applies nothing.
    const transaction = await client.transaction('write');
    try {
      if ((await readSchemaVersion(transaction)) === version) {
        await transaction.batch(MIGRATIONS[version]!.map((sql) => ({ sql, args: [] })));
        await transaction.execute(`PRAGMA user_version = ${next}`);
      }
      await transaction.commit();
    } finally {
      transaction.close();
    }
    applied.push(next);
  }
}

/** Rejects a file that a reader cannot use: never migrated, older, or newer than this code. */
export function checkReadable(version: number, url: string): void {
  checkNotNewer(version, url);
  if (version === SCHEMA_VERSION) return;
  throw new StoreError(
    'SCHEMA_TOO_OLD',
    `The database at DATABASE_URL=${JSON.stringify(url)} has schema version ${version}, but this reader needs version ` +
      `${SCHEMA_VERSION}. Start the ingesting process (INGEST=true) once, which migrates the file, then start the readers.`,
  );
}
