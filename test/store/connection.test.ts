import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from '@libsql/client/sqlite3';
import { openStore, StoreError } from '../../src/store/index.ts';
import { SCHEMA_VERSION } from '../../src/store/migrations.ts';
import { capturingLogger, openTestStore, rejection, testConfig, testDatabase, type TestDatabase } from '../support/store-fixtures.ts';

interface Context {
  database?: TestDatabase;
}

const connection = suite<Context>('store connection');

connection.before.each((context) => {
  context.database = testDatabase();
});

connection.after.each((context) => {
  context.database?.remove();
});

connection('creates the parent folder and the schema', async ({ database }) => {
  const store = await openTestStore(database!.url);
  try {
    assert.ok(existsSync(database!.path), 'database file created inside the new folder');
    const version = await store.client.execute('PRAGMA user_version');
    assert.is(Number(version.rows[0]![0]), SCHEMA_VERSION, 'schema version stored');
  } finally {
    await store.close();
  }
});

connection('WAL and busy timeout on every pooled connection', async ({ database }) => {
  const store = await openTestStore(database!.url, { env: { DATABASE_BUSY_TIMEOUT_MS: '1234' } });
  try {
    // Many calls at once make the pool hand out as many connections as it will ever open.
    const checks = await Promise.all(
      Array.from({ length: 25 }, () =>
        store.client.execute('SELECT (SELECT journal_mode FROM pragma_journal_mode), (SELECT timeout FROM pragma_busy_timeout), (SELECT synchronous FROM pragma_synchronous)'),
      ),
    );
    for (const result of checks) {
      const row = result.rows[0]!;
      assert.is(String(row[0]), 'wal', 'journal_mode is wal');
      assert.is(Number(row[1]), 1234, 'busy_timeout comes from DATABASE_BUSY_TIMEOUT_MS');
      assert.is(Number(row[2]), 1, 'synchronous is NORMAL');
    }
    const transaction = await store.client.transaction('write');
    const inside = await transaction.execute('SELECT timeout FROM pragma_busy_timeout');
    await transaction.rollback();
    assert.is(Number(inside.rows[0]![0]), 1234, 'busy_timeout also on the connection a transaction holds');
  } finally {
    await store.close();
  }
});

connection('bad file URL names DATABASE_URL', async ({ database }) => {
  const url = `file:${database!.folder}`;
  const error = await rejection(openTestStore(url));
  assert.instance(error, StoreError, 'a StoreError');
  assert.is((error as StoreError).code, 'CONNECT_FAILED', 'code CONNECT_FAILED');
  assert.match(error.message, `DATABASE_URL="${url}"`, 'message names the variable and the value');
});

connection('unreachable server names DATABASE_URL', async () => {
  // A port that accepted and was closed again refuses connections.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));

  for (const scheme of ['http', 'ws']) {
    const url = `${scheme}://127.0.0.1:${port}`;
    const error = await rejection(openTestStore(url, { env: { DATABASE_AUTH_TOKEN: 'secret-token' } }));
    assert.is((error as StoreError).code, 'CONNECT_FAILED', `${scheme}: code CONNECT_FAILED`);
    assert.match(error.message, `DATABASE_URL="${url}"`, `${scheme}: message names the URL`);
    assert.not.match(error.message, 'secret-token', `${scheme}: token not in the message`);
  }
});

connection('newer schema version is rejected', async ({ database }) => {
  const store = await openTestStore(database!.url);
  await store.client.execute(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
  await store.close();

  for (const reader of [false, true]) {
    const error = await rejection(openTestStore(database!.url, { reader }));
    assert.is((error as StoreError).code, 'SCHEMA_TOO_NEW', `reader=${reader}: code SCHEMA_TOO_NEW`);
    assert.match(error.message, `schema version ${SCHEMA_VERSION + 1}`, `reader=${reader}: message names the file's version`);
    assert.match(error.message, 'Upgrade skypulse', `reader=${reader}: message says what to do`);
  }
});

connection('reader refuses a file never migrated', async ({ database }) => {
  const error = await rejection(openTestStore(database!.url, { reader: true }));
  assert.is((error as StoreError).code, 'CONNECT_FAILED', 'a reader does not create the folder of a missing file');

  const writer = await openTestStore(`file:${database!.folder}/empty.db`);
  await writer.client.execute('PRAGMA user_version = 0');
  await writer.close();
  const old = await rejection(openTestStore(`file:${database!.folder}/empty.db`, { reader: true }));
  assert.is((old as StoreError).code, 'SCHEMA_TOO_OLD', 'code SCHEMA_TOO_OLD');
  assert.match(old.message, 'INGEST=true', 'message says which process migrates');
});

connection('reader mode follows INGEST and refuses writes', async ({ database }) => {
  const writer = await openTestStore(database!.url);
  await writer.close();
  const { logger } = capturingLogger();
  const reader = await openStore({ config: testConfig(database!.url, { INGEST: 'false' }), logger, totalsRefreshMs: 0 });
  try {
    assert.ok(reader.reader, 'INGEST=false opens a reader');
    const error = await rejection(reader.applyBatch({ effects: [], cursor: 1, eventCount: 0 }));
    assert.is((error as StoreError).code, 'READ_ONLY', 'writes are refused');
    assert.is(await reader.countPosts(), 0, 'queries work');
  } finally {
    await reader.close();
  }
});

connection('missing native binding gives one clear error', async ({ database }) => {
  const importer = () => Promise.reject(new Error("Cannot find module '@libsql/linux-x64-musl'\nRequire stack:\n- /app/node_modules/libsql/index.js"));
  const error = await rejection(openTestStore(database!.url, { importer }));
  assert.is((error as StoreError).code, 'NATIVE_BINDING_MISSING', 'code NATIVE_BINDING_MISSING');
  assert.match(error.message, `${process.platform}-${process.arch}`, 'message names the platform');
  assert.match(error.message, 'node:20-bookworm-slim', 'message names a supported base image');
  assert.not.match(error.message, 'Require stack', 'message is one line of cause, not the require stack');
});

connection('second client sees the same WAL file', async ({ database }) => {
  const store = await openTestStore(database!.url);
  const other = createClient({ url: database!.url, timeout: 100 });
  try {
    const mode = await other.execute('PRAGMA journal_mode');
    assert.is(String(mode.rows[0]![0]), 'wal', 'journal mode is stored in the file');
  } finally {
    other.close();
    await store.close();
  }
});

connection.run();
