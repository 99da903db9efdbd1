/**
 * The ingest lease: one row naming the process that writes the firehose into the database.
 *
 * Two ingesting processes on one database would each store the same events. The in-memory
 * totals of each would miss the posts the other inserted first, and an older edit could
 * overwrite a newer one. With Redis, every dashboard would get each post twice.
 *
 * So a writer takes the lease before it ingests, renews it on a timer, and releases it when it
 * closes. Every write transaction first checks that the lease is still its own (the fence), so
 * a process that lost the lease (paused longer than the lease lasts, say) commits nothing more.
 *
 * Whether a holder is alive is decided in one of two ways. A `file:` database has an ingest
 * lock (see `ingest-lock.ts`): when a process takes it, the lease row is stale. A libSQL
 * server may be shared by several machines, so there a lease is stale once it expires. Times come
 * from the database's clock (`julianday('now')`), so all machines compare expiry times on one clock.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Client, InStatement } from '@libsql/client';
import type { Logger } from '../log/logger.ts';
import { processId } from '../runtime/index.ts';
import { StoreError } from './errors.ts';
import type { IngestLock } from './ingest-lock.ts';
import { sleep } from './sleep.ts';
import type { BatchRunner } from './write-thread.ts';

/** How long a lease lasts without renewal, how often it is renewed and checked while waiting. */
export interface LeaseTimings {
  ttlMs: number;
  renewMs: number;
  pollMs: number;
}

export const DEFAULT_LEASE_TIMINGS: LeaseTimings = { ttlMs: 30_000, renewMs: 10_000, pollMs: 1000 };

/** The process named in the lease row. */
export interface LeaseHolder {
  owner: string;
  host: string;
  pid: number;
  acquiredAt: number;
  expiresAt: number;
}

export interface IngestLeaseOptions {
  /** Reads the lease row (any connection to the database). */
  client: Pick<Client, 'execute'>;
  /** Writes the lease row in its own transaction. */
  runner: BatchRunner;
  logger: Logger;
  /** DATABASE_URL without credentials, for messages. */
  url: string;
  timings?: Partial<LeaseTimings>;
  /** Aborts the wait for another process's lease. */
  signal: AbortSignal;
  /** Function that takes the ingest lock of a `file:` database, or null when another process has it. Absent for a server. */
  takeLock?: () => Promise<IngestLock | null>;
}

/** Milliseconds since the epoch on the database's clock. */
const DATABASE_NOW_MS = `CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`;

/** Name of the CHECK constraint that fails when a write transaction no longer holds the lease. */
const FENCE_CONSTRAINT = 'ingest_lease_held';

export class IngestLease {
  readonly owner = randomUUID();
  readonly host = hostname();
  readonly pid = processId();
  readonly #options: IngestLeaseOptions;
  readonly #timings: LeaseTimings;
  #lock: IngestLock | null = null;
  #lost = false;

  constructor(options: IngestLeaseOptions) {
    this.#options = options;
    this.#timings = { ...DEFAULT_LEASE_TIMINGS, ...options.timings };
  }

  get timings(): LeaseTimings {
    return this.#timings;
  }

  /** True once a renewal or a write found the lease taken by another process. */
  get lost(): boolean {
    return this.#lost;
  }

  /**
   * Takes the lease. With an ingest lock, a free lock makes any lease row stale and a held one
   * is an error at once. Without one, an expired lease is taken, one that expires while this
   * process waits too, and one that its holder renews meanwhile is an error.
   */
  async acquire(): Promise<void> {
    const { takeLock } = this.#options;
    if (takeLock) {
      this.#lock = await takeLock();
      if (!this.#lock) throw heldError((await this.#read()).holder, this.#options.url);
    }
    try {
      await (this.#lock ? this.#takeOver() : this.#takeAfterExpiry());
    } catch (error) {
      this.#lock?.release();
      this.#lock = null;
      throw error;
    }
    this.#options.logger.info({ owner: this.owner, host: this.host, pid: this.pid }, 'ingest lease acquired');
  }

  /** Writes this process into the lease whatever the row contains, since the free lock proves its holder gone. */
  async #takeOver(): Promise<void> {
    for (;;) {
      const { holder } = await this.#read();
      if (!(await this.#swap(holder))) continue;
      if (holder) this.#tookOver(holder, `process ${holder.pid} on ${holder.host} no longer runs`);
      return;
    }
  }

  // NOTE: this path serves libSQL server URLs, but the tests run it against a file, because no
  // real server was available to test against.
  async #takeAfterExpiry(): Promise<void> {
    const { logger } = this.#options;
    let waitingFor: LeaseHolder | null = null;
    for (;;) {
      const { holder, expired } = await this.#read();
      if (holder === null || expired) {
        if (!(await this.#swap(holder))) continue;
        if (holder) this.#tookOver(holder, 'its lease expired');
        return;
      }
      if (waitingFor?.owner === holder.owner && holder.expiresAt > waitingFor.expiresAt) {
        throw heldError(holder, this.#options.url);
      }
      if (waitingFor?.owner !== holder.owner) {
        logger.warn(
          { holder: describe(holder), waitMs: this.#timings.ttlMs },
          'another process holds the ingest lease; waiting for it to expire or be renewed',
        );
      }
      waitingFor = holder;
      if (!(await sleep(this.#timings.pollMs, this.#options.signal))) {
        throw new StoreError('STORE_CLOSED', 'The store closed while it waited for the ingest lease.');
      }
    }
  }

  #tookOver(previous: LeaseHolder, reason: string): void {
    this.#options.logger.warn({ previous: describe(previous), reason }, `took over the ingest lease: ${reason}`);
  }

  /** Extends the lease, or marks it lost and logs one error when another process has taken it. */
  async renew(): Promise<void> {
    if (this.#lost) return;
    const [result] = await this.#options.runner.batch([
      {
        sql: `UPDATE ingest_lease SET expires_at = ${DATABASE_NOW_MS} + ? WHERE id = 1 AND owner = ?`,
        args: [this.#timings.ttlMs, this.owner],
      },
    ]);
    if (result!.rowsAffected === 1) return;
    this.#markLost();
    const { holder } = await this.#read();
    this.#options.logger.error(
      { holder: holder ? describe(holder) : null },
      'the ingest lease was taken by another process, so this process writes nothing more',
    );
  }

  /** Gives the lease (and the ingest lock) up, so a successor starts at once. */
  async release(): Promise<void> {
    try {
      if (!this.#lost) await this.#options.runner.batch([{ sql: 'DELETE FROM ingest_lease WHERE id = 1 AND owner = ?', args: [this.owner] }]);
    } finally {
      this.#lock?.release();
      this.#lock = null;
    }
  }

  /**
   * Wraps `runner` so that each transaction first checks the lease. A transaction run after
   * the lease went to another process fails before any of its statements, with the store
   * error `INGEST_LEASE_LOST`.
   */
  fence(runner: BatchRunner): BatchRunner {
    const check: InStatement[] = [
      {
        sql: `CREATE TEMP TABLE IF NOT EXISTS ingest_fence (
          id INTEGER PRIMARY KEY, held INTEGER NOT NULL CONSTRAINT ${FENCE_CONSTRAINT} CHECK (held = 1))`,
        args: [],
      },
      // A CHECK failure aborts even under OR REPLACE, which only keeps the table at one row.
      { sql: 'INSERT OR REPLACE INTO temp.ingest_fence SELECT 1, count(*) FROM ingest_lease WHERE id = 1 AND owner = ?', args: [this.owner] },
    ];
    return {
      batch: async (statements) => {
        if (this.#lost) throw lostError(this.#options.url);
        try {
          return (await runner.batch([...check, ...statements])).slice(check.length);
        } catch (error) {
          if (!String((error as Error | null)?.message).includes(FENCE_CONSTRAINT)) throw error;
          this.#markLost();
          throw lostError(this.#options.url, error);
        }
      },
    };
  }

  #markLost(): void {
    this.#lost = true;
  }

  async #read(): Promise<{ holder: LeaseHolder | null; expired: boolean }> {
    const result = await this.#options.client.execute(
      `SELECT owner, host, pid, acquired_at, expires_at, expires_at <= ${DATABASE_NOW_MS} FROM ingest_lease WHERE id = 1`,
    );
    const row = result.rows[0];
    if (!row) return { holder: null, expired: false };
    const holder = { owner: String(row[0]), host: String(row[1]), pid: Number(row[2]), acquiredAt: Number(row[3]), expiresAt: Number(row[4]) };
    return { holder, expired: Number(row[5]) === 1 };
  }

  /** Writes this process into the lease if the row still names `seen` (or is still absent). */
  async #swap(seen: LeaseHolder | null): Promise<boolean> {
    const [result] = await this.#options.runner.batch([
      {
        sql: `INSERT INTO ingest_lease (id, owner, host, pid, acquired_at, expires_at)
          VALUES (1, ?, ?, ?, ${DATABASE_NOW_MS}, ${DATABASE_NOW_MS} + ?)
          ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, host = excluded.host, pid = excluded.pid,
            acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
          WHERE ingest_lease.owner = ? AND ingest_lease.expires_at = ?`,
        args: [this.owner, this.host, this.pid, this.#timings.ttlMs, seen?.owner ?? null, seen?.expiresAt ?? null],
      },
    ]);
    return result!.rowsAffected === 1;
  }
}

function describe(holder: LeaseHolder): Record<string, unknown> {
  return {
    host: holder.host,
    pid: holder.pid,
    acquiredAt: new Date(holder.acquiredAt).toISOString(),
    expiresAt: new Date(holder.expiresAt).toISOString(),
  };
}

function heldError(holder: LeaseHolder | null, url: string): StoreError {
  const holderText = holder ? ` (process ${holder.pid} on ${holder.host}, ingesting since ${new Date(holder.acquiredAt).toISOString()})` : '';
  return new StoreError(
    'INGEST_LEASE_HELD',
    `Another skypulse process${holderText} is ingesting into DATABASE_URL=${JSON.stringify(url)}. ` +
      'Only one process may ingest into a database: start this one with INGEST=false to serve the dashboard and API ' +
      'from the same database, or stop the other process first.',
  );
}

function lostError(url: string, cause?: unknown): StoreError {
  return new StoreError(
    'INGEST_LEASE_LOST',
    `Another process took over ingest into DATABASE_URL=${JSON.stringify(url)}, so this process stopped writing to it. ` +
      'Restart it with INGEST=false, or stop the other process and restart this one.',
    { cause },
  );
}
