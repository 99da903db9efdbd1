import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Hub } from '../../src/hub/hub.ts';
import type { HubEvents } from '../../src/hub/events.ts';
import { BASE_US, capturingLogger, create, openTestStore, post, remove, testDatabase } from '../support/store-fixtures.ts';
import { SQLITE3, holdWriteLock, skipWithoutSqlite3 } from '../support/sqlite3-lock.ts';

const LOCK_SECONDS = 3;

/** Opens a store attached to a hub while another process holds the write lock for a second. */
async function blockedStore() {
  const database = testDatabase();
  const store = await openTestStore(database.url, { env: { DATABASE_BUSY_TIMEOUT_MS: '50' } });
  const hub = new Hub<HubEvents>();
  store.attach(hub);
  const lock = holdWriteLock(database.path, 1);
  await lock.locked;
  return { database, store, hub, lock };
}

const contention = suite('store lock contention');

contention('write lock of another process delays the batch', async () => {
  if (skipWithoutSqlite3()) return;
  const database = testDatabase();
  const { logger, lines } = capturingLogger();
  const store = await openTestStore(database.url, { logger, env: { DATABASE_BUSY_TIMEOUT_MS: '100' } });
  try {
    const hub = new Hub<HubEvents>();
    store.attach(hub);
    await store.applyBatch({ effects: [create(post('did:plc:before', '3k0'))], cursor: BASE_US, eventCount: 1 });

    const lock = holdWriteLock(database.path, LOCK_SECONDS);
    await lock.locked;

    // The event loop must keep running while the write waits: count timer ticks meanwhile.
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 50);
    const effects = Array.from({ length: 50 }, (_, index) => create(post(`did:plc:during${index}`, '3k1')));
    const cursor = BASE_US + 1_000_000;
    await hub.publish('batch', { effects, cursor, eventCount: effects.length });
    clearInterval(ticker);
    // The holder prints its marker before COMMIT; give the event loop a moment to read it.
    await new Promise((resolve) => setTimeout(resolve, 100));

    assert.ok(lock.releasing(), 'publish resolved only after the other process released its lock');
    assert.is(await lock.exited, 0, 'the lock holder committed without error');
    assert.is(await store.countPosts(), 51, 'the delayed batch is stored in full');
    assert.is(await store.readCursor(), cursor, 'its cursor is stored');
    assert.ok(ticks >= 5, `timers kept firing while the batch waited (${ticks} ticks)`);

    const retries = lines.filter((line) => line.msg === 'database locked by another connection; batch write will be retried');
    assert.ok(retries.length > 0, 'each wait is logged');
    assert.is(retries[0]!.batchSize, 50, 'log names the batch size');
    assert.is(retries[0]!.cursor, cursor, 'log names the cursor');
    assert.ok(lines.some((line) => line.msg === 'batch written after retry'), 'the final success is logged');

    // No transaction may be left open: another process gets the write lock at once.
    const after = spawnSync(SQLITE3, [database.path], { input: '.timeout 0\nBEGIN IMMEDIATE;\nCOMMIT;\n', encoding: 'utf8', timeout: 10_000 });
    assert.is(after.status, 0, `another process can take the write lock immediately: ${after.stderr}`);
    const checkpoint = await store.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    assert.is(Number(checkpoint.rows[0]![0]), 0, 'a full checkpoint is not blocked by an open transaction');
  } finally {
    await store.close();
    database.remove();
  }
});

contention('batch behind a blocked one commits after it', async () => {
  if (skipWithoutSqlite3()) return;
  const { database, store, hub, lock } = await blockedStore();
  try {

    // The first batch is retried until the lock goes. The second, published meanwhile, deletes
    // what the first creates, so it must wait for it.
    const record = post('did:plc:ordered', '3k5');
    const first = hub.publish('batch', { effects: [create(record)], cursor: BASE_US + 1, eventCount: 1 });
    const second = hub.publish('batch', { effects: [remove(record)], cursor: BASE_US + 2, eventCount: 1 });
    await Promise.all([first, second]);
    await lock.exited;

    assert.is(await store.countPosts(), 0, 'the delete was applied after the create it follows');
    assert.is(await store.readCursor(), BASE_US + 2, 'the cursor is the second batch');
  } finally {
    await store.close();
    database.remove();
  }
});

contention('failed attempt leaves the connection usable', async () => {
  if (skipWithoutSqlite3()) return;
  const database = testDatabase();
  const store = await openTestStore(database.url, { env: { DATABASE_BUSY_TIMEOUT_MS: '50' } });
  try {
    const lock = holdWriteLock(database.path, 1);
    await lock.locked;
    const blocked = await store.applyBatch({ effects: [create(post('did:plc:first', '3k1'))], cursor: BASE_US, eventCount: 1 }).then(
      () => null,
      (error: Error & { code?: string }) => error,
    );
    assert.is(blocked?.code, 'SQLITE_BUSY', 'a single attempt during the lock fails with SQLITE_BUSY');
    await lock.exited;

    // The statement that failed must not linger: it would make the next COMMIT fail with
    // "SQL statements in progress" until garbage collection finalized it.
    await store.applyBatch({ effects: [create(post('did:plc:second', '3k2'))], cursor: BASE_US + 1, eventCount: 1 });
    assert.is(await store.countPosts(), 1, 'the next attempt commits');
    assert.is(await store.readCursor(), BASE_US + 1, 'with its cursor');
    const pragmas = await store.client.execute('SELECT (SELECT timeout FROM pragma_busy_timeout), (SELECT synchronous FROM pragma_synchronous)');
    assert.is(Number(pragmas.rows[0]![0]), 50, 'the reopened connection has the busy timeout');
    assert.is(Number(pragmas.rows[0]![1]), 1, 'and synchronous=NORMAL');
  } finally {
    await store.close();
    database.remove();
  }
});

contention('close ends the retries of a blocked batch', async () => {
  if (skipWithoutSqlite3()) return;
  const { database, store, hub, lock } = await blockedStore();
  try {
    const publishing = hub.publish('batch', { effects: [create(post('did:plc:late', '3k1'))], cursor: BASE_US, eventCount: 1 });
    const outcome = publishing.then(() => null, (reason: Error & { code?: string }) => reason);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await store.close();
    const error = await outcome;
    assert.is(error?.code, 'STORE_CLOSED', 'the publisher learns the batch was not committed');
    await lock.exited;
  } finally {
    await store.close();
    database.remove();
  }
});

contention.run();
