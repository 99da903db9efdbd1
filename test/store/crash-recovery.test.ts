import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runtimeName } from '../../src/runtime/index.ts';
import { DENO_FLAGS, repositoryRoot } from '../support/service-process.ts';
import { requireSharedData, skipWithoutSharedData } from '../support/shared-data.ts';
import { readLines } from '../support/bench-effects.ts';
import { openTestStore, testDatabase } from '../support/store-fixtures.ts';

const BATCH_SIZE = 500;
const ACKS_BEFORE_KILL = 20;

interface ChildRun {
  acked: number[];
  done: boolean;
  code: number | null;
  signal: string | null;
}

/** Runs the replay child; with `killAfter`, sends SIGKILL once that many batches are acknowledged. */
function runChild(url: string, benchFile: string, killAfter?: number): Promise<ChildRun> {
  const script = join(repositoryRoot, 'test/support/apply-bench-child.ts');
  const args = runtimeName === 'deno' ? ['run', ...DENO_FLAGS, script] : ['--import', 'tsx', script];
  const child = spawn(process.execPath, [...args, url, benchFile, String(BATCH_SIZE)], {
    cwd: repositoryRoot,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: ChildRun = { acked: [], done: false, code: null, signal: null };
  let pending = '';
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (line === 'done') run.done = true;
      if (!line.startsWith('acked ')) continue;
      run.acked.push(Number(line.slice('acked '.length)));
      if (killAfter !== undefined && run.acked.length === killAfter) child.kill('SIGKILL');
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`replay child did not finish within 60 s; stderr: ${errors}`));
    }, 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      run.code = code;
      run.signal = signal;
      if (killAfter === undefined && code !== 0) reject(new Error(`replay child exited with ${code}: ${errors}`));
      else resolve(run);
    });
  });
}

/** Posts alive after every event up to and including `cursor`, computed from the file alone. */
function aliveAt(lines: ReturnType<typeof readLines>, cursor: number): number {
  const alive = new Set<string>();
  for (const line of lines) {
    if (line.time_us > cursor) break;
    if (line.kind !== 'commit' || line.commit?.collection !== 'app.bsky.feed.post') continue;
    const uri = `${line.did}/${line.commit.rkey}`;
    if (line.commit.operation === 'delete') alive.delete(uri);
    else alive.add(uri);
  }
  return alive.size;
}

const crash = suite('store crash recovery');

crash('SIGKILL mid-replay loses nothing acknowledged', async () => {
  if (skipWithoutSharedData('jetstream-bench.ndjson') || skipWithoutSharedData('jetstream-bench.expected.json')) return;
  const benchFile = requireSharedData('jetstream-bench.ndjson');
  const expected = JSON.parse(readFileSync(requireSharedData('jetstream-bench.expected.json'), 'utf8')) as { posts_alive_at_end: number; last_time_us: number };
  const lines = readLines(benchFile);
  const database = testDatabase();
  try {
    const killed = await runChild(database.url, benchFile, ACKS_BEFORE_KILL);
    assert.is(killed.signal, 'SIGKILL', 'the child was killed, not finished');
    assert.not.ok(killed.done, 'the replay had not finished');
    const lastAcked = killed.acked.at(-1)!;

    const store = await openTestStore(database.url);
    try {
      const cursor = (await store.readCursor())!;
      assert.ok(cursor >= lastAcked, `stored cursor ${cursor} covers the last acknowledged batch ${lastAcked}`);
      assert.is(await store.countPosts(), aliveAt(lines, cursor), 'rows match the events up to the stored cursor');
      const rollups = await store.client.execute('SELECT sum(positive + neutral + negative + unscored) FROM rollup_minutes');
      assert.is(Number(rollups.rows[0]![0]), await store.countPosts(), 'roll-ups count exactly the stored posts');
      const integrity = await store.client.execute('PRAGMA integrity_check');
      assert.is(String(integrity.rows[0]![0]), 'ok', 'database file intact');
    } finally {
      await store.close();
    }

    const resumed = await runChild(database.url, benchFile);
    assert.ok(resumed.done, 'the resumed replay finished');
    assert.ok(resumed.acked.length > 0, 'the resumed replay had batches left to apply');

    const final = await openTestStore(database.url);
    try {
      assert.is(await final.countPosts(), expected.posts_alive_at_end, 'posts alive at the end match the expected count');
      assert.is(final.totals().posts, expected.posts_alive_at_end, 'totals loaded at open match too');
      assert.is(await final.readCursor(), expected.last_time_us, 'cursor is the last event of the file');
      await final.client.execute("INSERT INTO posts_fts (posts_fts) VALUES ('integrity-check')");
    } finally {
      await final.close();
    }
  } finally {
    database.remove();
  }
});

crash.run();
