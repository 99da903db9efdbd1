import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { DEPLOYMENT_DOC, documentedEnvTable, renderEnvTable } from '../../tools/env-table.ts';
import { VARIABLES } from '../../src/config/schema.ts';
import { loadConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { openStore } from '../../src/store/index.ts';
import { createBatch, openHarness } from './harness.ts';
import { repositoryRoot, temporaryFolder } from '../support/service-process.ts';

// ---

const deployment = suite('docs/DEPLOYMENT.md');

deployment('environment table matches the schema', () => {
  const documented = documentedEnvTable(readFileSync(DEPLOYMENT_DOC, 'utf8'));
  assert.ok(documented !== null, 'the table markers are present');
  // Compared line by line so a failure names the variable that drifted.
  const expected = renderEnvTable().split('\n');
  const actual = documented!.split('\n');
  for (const [index, line] of expected.entries()) {
    assert.is(actual[index], line, `table line ${index + 1}; run npx tsx tools/env-table.ts --write`);
  }
  assert.is(actual.length, expected.length, 'no extra rows');
});

deployment('table lists every variable with its default', () => {
  const table = renderEnvTable();
  for (const [name, spec] of Object.entries(VARIABLES)) {
    const row = table.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
    assert.ok(row, `${name} has a row`);
    const fallback = (spec as { fallback: string | undefined }).fallback;
    if (fallback === undefined) assert.match(row!, '| unset |', `${name} shows unset`);
    else assert.match(row!, `\`${fallback.split(',')[0]}\``, `${name} shows its default`);
  }
});

// The backup commands in the guide must copy a database whose latest commits are still in the WAL.
async function liveDatabase(folder: string) {
  const config = loadConfig({ DATABASE_URL: `file:${join(folder, 'live.db')}`, LOG_LEVEL: 'silent' });
  const store = await openStore({ config, logger: silentLogger(), pruneIntervalMs: 0 });
  const specs = Array.from({ length: 300 }, (_, index) => ({ rkey: `b${index}`, offsetMs: index, text: `post ${index}`, compound: 0.1 }));
  await store.applyBatch(createBatch(specs));
  assert.ok(existsSync(join(folder, 'live.db-wal')), 'the commits sit in the WAL file');
  return { store, path: join(folder, 'live.db'), rows: specs.length };
}

async function countPosts(path: string): Promise<number> {
  const copy = createClient({ url: `file:${path}` });
  try {
    return Number((await copy.execute('SELECT count(*) FROM posts')).rows[0]![0]);
  } finally {
    copy.close();
  }
}

deployment('VACUUM INTO copies a live WAL database', async () => {
  const folder = temporaryFolder('skypulse-backup-');
  const { store, path, rows } = await liveDatabase(folder.path);
  try {
    const backup = join(folder.path, 'backup.db');
    // A second connection, as the sqlite3 command line would open, while the store has the file open.
    const other = createClient({ url: `file:${path}` });
    await other.execute({ sql: 'VACUUM INTO ?', args: [backup] });
    other.close();
    assert.is(await countPosts(backup), rows, 'every committed post is in the backup');
    assert.not.ok(existsSync(`${backup}-wal`), 'the backup is one self-contained file');
  } finally {
    await store.close();
    folder.remove();
  }
});

deployment('sqlite3 .backup copies a live WAL database', async () => {
  if (spawnSync('sqlite3', ['-version']).status !== 0) {
    console.log('skipped: the sqlite3 command line tool is not installed');
    return;
  }
  const folder = temporaryFolder('skypulse-backup-');
  const { store, path, rows } = await liveDatabase(folder.path);
  try {
    const backup = join(folder.path, 'backup.db');
    const result = spawnSync('sqlite3', [path, `.backup '${backup}'`], { encoding: 'utf8', timeout: 20_000 });
    assert.is(result.status, 0, `sqlite3 exit status; stderr: ${result.stderr}`);
    assert.is(await countPosts(backup), rows, 'every committed post is in the backup');
  } finally {
    await store.close();
    folder.remove();
  }
});

deployment.run();

// ---

const api = suite('docs/API.md');

api('documents every HTTP route', async () => {
  const text = readFileSync(join(repositoryRoot, 'docs', 'API.md'), 'utf8');
  const harness = await openHarness({ posts: [] });
  try {
    const routes = new Set(harness.app.routes.filter((route) => route.method !== 'ALL').map((route) => route.path));
    for (const path of routes) {
      const mentioned = new RegExp(`[\\s\`]${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[\\s\`,]`);
      assert.match(text, mentioned, `${path} is described`);
    }
  } finally {
    await harness.close();
  }
});

api.run();
