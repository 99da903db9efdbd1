import { hostname } from 'node:os';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, type Client } from '@libsql/client/sqlite3';
import { Hub } from '../../src/hub/hub.ts';
import type { HubEvents } from '../../src/hub/events.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { StoreError, type Store } from '../../src/store/index.ts';
import { IngestLease } from '../../src/store/ingest-lease.ts';
import { ingestLockPath } from '../../src/store/ingest-lock.ts';
import { holdWriteLock, skipWithoutSqlite3 } from '../support/sqlite3-lock.ts';
import { waitFor } from '../support/replay-faults.ts';
import { BASE_US, capturingLogger, create, openTestStore, post, rejection, testDatabase, type TestDatabase } from '../support/store-fixtures.ts';

/** Lease timings short enough for tests: a lease lasts 1.5 s and is renewed every 200 ms. */
const FAST = { ttlMs: 1500, renewMs: 200, pollMs: 50 };
const OTHER_HOST = 'ingest-host-b.example';
const NOW_MS = `CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`;

interface Context {
  database?: TestDatabase;
  /** A second connection, standing in for another process that touches the lease row. */
  other?: Client;
  stores?: Store[];
}

interface LeaseRow {
  owner: string;
  host: string;
  pid: number;
  expiresAt: number;
}

async function leaseRow(client: Client): Promise<LeaseRow | null> {
  const result = await client.execute('SELECT owner, host, pid, expires_at FROM ingest_lease WHERE id = 1');
  const row = result.rows[0];
  return row ? { owner: String(row[0]), host: String(row[1]), pid: Number(row[2]), expiresAt: Number(row[3]) } : null;
}

/** Writes a lease row as another process would, expiring `ttlMs` from now. */
async function plantLease(client: Client, host: string, pid: number, ttlMs: number): Promise<void> {
  await client.execute({
    sql: `INSERT OR REPLACE INTO ingest_lease (id, owner, host, pid, acquired_at, expires_at) VALUES (1, 'planted', ?, ?, ${NOW_MS}, ${NOW_MS} + ?)`,
    args: [host, pid, ttlMs],
  });
}

const lease = suite<Context>('ingest lease');

lease.before.each(async (context) => {
  context.database = testDatabase();
  context.stores = [];
  // The first writer creates the schema, then gives the lease up.
  const setup = await openTestStore(context.database.url, { lease: FAST });
  await setup.close();
  context.other = createClient({ url: context.database.url, timeout: 2000 });
});

lease.after.each(async (context) => {
  for (const store of context.stores ?? []) await store.close();
  context.other?.close();
  context.database?.remove();
});

async function openWriter(context: Context, logger = capturingLogger().logger): Promise<Store> {
  const store = await openTestStore(context.database!.url, { lease: FAST, logger });
  context.stores!.push(store);
  return store;
}

lease('close releases the lease', async (context) => {
  assert.is(await leaseRow(context.other!), null, 'the set-up writer released its lease on close');
  await openWriter(context);
  const row = await leaseRow(context.other!);
  assert.is(row?.host, hostname(), 'the lease names this machine');
  assert.is(row?.pid, process.pid, 'the lease names this process');
});

lease('second writer refused while the first runs', async (context) => {
  const first = await openWriter(context);
  const error = await rejection(openTestStore(context.database!.url, { lease: FAST }));
  assert.instance(error, StoreError, 'a StoreError');
  assert.is((error as StoreError).code, 'INGEST_LEASE_HELD', 'code says the lease is held');
  assert.match(error.message, `process ${process.pid} on ${hostname()}`, 'message names the holder');
  assert.match(error.message, 'INGEST=false', 'message says how to run a serving process instead');

  await first.applyBatch({ effects: [create(post('did:plc:lease1', '3k0'))], cursor: BASE_US, eventCount: 1 });
  assert.is(await first.readCursor(), BASE_US, 'the first writer still commits');
});

lease('lease renewed while the writer runs', async (context) => {
  await openWriter(context);
  const before = await leaseRow(context.other!);
  await waitFor(async () => ((await leaseRow(context.other!))?.expiresAt ?? 0) > before!.expiresAt, 3000, 'the lease expiry never moved');
});

lease('lease row of a crashed process taken at once', async (context) => {
  await plantLease(context.other!, OTHER_HOST, 4242, 3_600_000);
  const { logger, lines } = capturingLogger();
  await openWriter(context, logger);
  assert.is((await leaseRow(context.other!))?.pid, process.pid, 'this process holds the lease now');
  const takeOver = lines.find((line) => line.msg === `took over the ingest lease: process 4242 on ${OTHER_HOST} no longer runs`);
  assert.ok(takeOver, `take-over logged; lines: ${JSON.stringify(lines.map((line) => line.msg))}`);
  assert.is(takeOver!.level, 40, 'logged as a warning');
});

lease('ingest lock held by another process', async (context) => {
  if (skipWithoutSqlite3()) return;
  const holder = holdWriteLock(ingestLockPath(context.database!.path), 1);
  await holder.locked;
  const error = await rejection(openTestStore(context.database!.url, { lease: FAST }));
  assert.is((error as StoreError).code, 'INGEST_LEASE_HELD', `refused while the lock is held; got ${error.message}`);
  assert.match(error.message, 'Another skypulse process is ingesting into', 'message without holder details, since no row names one');
  assert.is(await holder.exited, 0, 'the other process released its lock');
  await openWriter(context);
  assert.is((await leaseRow(context.other!))?.pid, process.pid, 'the lease is taken once the lock is free');
});

/** Creates a lease as on a libSQL server: without an ingest lock, so only expiry frees it. */
function serverLease(context: Context, logger = silentLogger()): IngestLease {
  const client = context.other!;
  return new IngestLease({
    client,
    runner: { batch: (statements) => client.batch(statements, 'write') },
    logger,
    url: 'http://127.0.0.1:8080',
    timings: FAST,
    signal: new AbortController().signal,
  });
}

lease('server lease taken after expiry', async (context) => {
  await plantLease(context.other!, OTHER_HOST, 4242, 600);
  const { logger, lines } = capturingLogger();
  const taker = serverLease(context, logger);
  await taker.acquire();
  const messages = lines.map((line) => String(line.msg));
  assert.ok(messages.includes('another process holds the ingest lease; waiting for it to expire or be renewed'), `waited first; lines: ${messages}`);
  assert.ok(messages.includes('took over the ingest lease: its lease expired'), `then took over; lines: ${messages}`);
  assert.is((await leaseRow(context.other!))?.owner, taker.owner, 'the new process holds the lease now');
  await taker.release();
  assert.is(await leaseRow(context.other!), null, 'release deletes the row');
});

lease('server lease renewed elsewhere refused', async (context) => {
  await plantLease(context.other!, OTHER_HOST, 4242, 1000);
  const renewer = setInterval(() => {
    void context.other!.execute(`UPDATE ingest_lease SET expires_at = ${NOW_MS} + 1000 WHERE id = 1`);
  }, 100);
  try {
    const error = await rejection(serverLease(context).acquire());
    assert.is((error as StoreError).code, 'INGEST_LEASE_HELD', `refused; got ${error.message}`);
    assert.match(error.message, `process 4242 on ${OTHER_HOST}`, 'message names the other machine');
  } finally {
    clearInterval(renewer);
  }
  assert.is((await leaseRow(context.other!))?.host, OTHER_HOST, 'the other machine keeps its lease');
});

lease('lost lease: no commit and no retry', async (context) => {
  const { logger, lines } = capturingLogger();
  const store = await openWriter(context, logger);
  const hub = new Hub<HubEvents>();
  store.attach(hub);
  await hub.publish('batch', { effects: [create(post('did:plc:lease1', '3k0'))], cursor: BASE_US, eventCount: 1 });

  await plantLease(context.other!, OTHER_HOST, 4242, 60_000);
  const error = await rejection(hub.publish('batch', { effects: [create(post('did:plc:lease2', '3k0'))], cursor: BASE_US + 1, eventCount: 1 }));
  assert.is((error as StoreError).code, 'INGEST_LEASE_LOST', `the batch failed with INGEST_LEASE_LOST; got ${error.message}`);
  assert.is((error as StoreError).permanent, true, 'the failure is marked permanent');
  assert.not.ok(lines.some((line) => String(line.msg).includes('will be retried')), 'the store did not retry the batch');

  assert.is(await store.countPosts(), 1, 'the second batch stored no post');
  assert.is(await store.readCursor(), BASE_US, 'the cursor did not move');
  assert.is(store.totals().posts, 1, 'the in-memory totals did not move');
  const prune = await rejection(store.pruneOnce());
  assert.is((prune as StoreError).code, 'INGEST_LEASE_LOST', 'retention writes nothing either');

  await store.close();
  assert.is((await leaseRow(context.other!))?.host, OTHER_HOST, 'closing left the lease of the new holder in place');
});

lease('renewal detects a taken lease', async (context) => {
  const { logger, lines } = capturingLogger();
  await openWriter(context, logger);
  await plantLease(context.other!, OTHER_HOST, 4242, 60_000);
  const message = 'the ingest lease was taken by another process, so this process writes nothing more';
  await waitFor(() => lines.some((line) => line.msg === message), 3000, 'the lost lease was never logged');
  const logged = lines.find((line) => line.msg === message)!;
  assert.is(logged.level, 50, 'logged as an error');
  assert.is((logged.holder as { host?: string }).host, OTHER_HOST, 'the log names the new holder');
});

lease('reader leaves the lease alone', async (context) => {
  await openWriter(context);
  const holder = await leaseRow(context.other!);
  const reader = await openTestStore(context.database!.url, { env: { INGEST: 'false' }, totalsRefreshMs: 0 });
  context.stores!.push(reader);
  assert.is(reader.reader, true, 'opened as a reader');
  assert.is((await leaseRow(context.other!))?.owner, holder?.owner, 'the writer keeps the lease');
});

lease.run();
