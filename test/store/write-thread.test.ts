import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { silentLogger } from '../../src/log/logger.ts';
import { WriteThread } from '../../src/store/write-thread.ts';
import { testDatabase, type TestDatabase } from '../support/store-fixtures.ts';

/** Creates a test database with its folder, as the store does before the write thread starts. */
function preparedDatabase(): TestDatabase {
  const database = testDatabase();
  mkdirSync(dirname(database.path), { recursive: true });
  return database;
}

const thread = suite('store write thread');

thread('runs statements in one transaction and returns their rows', async () => {
  const database = preparedDatabase();
  const writer = await WriteThread.start({ url: database.url, busyTimeoutMs: 1000 }, silentLogger());
  try {
    const results = await writer.batch([
      { sql: 'CREATE TABLE IF NOT EXISTS items (name TEXT NOT NULL)', args: [] },
      { sql: "INSERT INTO items (name) VALUES ('first'), ('second')", args: [] },
      { sql: 'SELECT name FROM items ORDER BY name', args: [] },
    ]);
    assert.is(results.length, 3, 'one result per statement');
    assert.is(results[1]!.rowsAffected, 2, 'the insert reports its row count');
    assert.equal(results[2]!.rows.map((row) => row[0]), ['first', 'second'], 'the select returns its rows');

    const failed = await writer
      .batch([
        { sql: "INSERT INTO items (name) VALUES ('third')", args: [] },
        { sql: 'INSERT INTO items (name) VALUES (NULL)', args: [] },
      ])
      .then(
        () => null,
        (error: Error & { code?: string }) => error,
      );
    assert.ok(failed, 'a failing statement rejects the batch');
    assert.match(failed!.message, /NOT NULL/, `the error names the constraint: ${failed!.message}`);
    assert.match(String(failed!.code), /^SQLITE_CONSTRAINT/, `the SQLite code reaches the caller: ${failed!.code}`);
    const after = await writer.batch([{ sql: 'SELECT count(*) FROM items', args: [] }]);
    assert.is(Number(after[0]!.rows[0]![0]), 2, 'the failed batch was rolled back as a whole');
  } finally {
    await writer.close();
    database.remove();
  }
});

thread('reports a database it cannot open', async () => {
  const database = testDatabase();
  const url = `file:${join(database.folder, 'missing-folder', 'skypulse.db')}`;
  try {
    const error = await WriteThread.start({ url, busyTimeoutMs: 1000 }, silentLogger()).then(
      () => null,
      (reason: Error) => reason,
    );
    assert.ok(error, 'start rejects');
    assert.match(error!.message, 'missing-folder', `the error names the database: ${error!.message}`);
  } finally {
    database.remove();
  }
});

thread('rejects writes after close', async () => {
  const database = preparedDatabase();
  const writer = await WriteThread.start({ url: database.url, busyTimeoutMs: 1000 }, silentLogger());
  await writer.close();
  const error = await writer.batch([{ sql: 'SELECT 1', args: [] }]).then(
    () => null,
    (reason: Error) => reason,
  );
  assert.match(String(error?.message), 'closed', 'a write after close is rejected with a clear message');
  database.remove();
});

thread.run();
