/**
 * Storage throughput: applies the bench workload (pre-parsed, scored by a cheap deterministic
 * stand-in, batches of 2,000 events) to a fresh `file:` database and reports events and posts
 * written per second. Parsing and scoring happen before the clock starts, so only `applyBatch`
 * is timed. Run directly with `npx tsx bench/store.ts [--quick]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/load.ts';
import { silentLogger } from '../src/log/logger.ts';
import { openStore } from '../src/store/index.ts';
import { readLines, standInScore, toBatches } from '../test/support/bench-effects.ts';
import { sharedDataFolder } from '../test/support/shared-data.ts';

export interface StoreBenchOptions {
  /** Use the first 10,000 events and one run instead of the whole file and three runs. */
  quick?: boolean;
  batchSize?: number;
}

export interface StoreBenchResult {
  events: number;
  posts: number;
  batchSize: number;
  /** Wall-clock seconds of each run. */
  runs: number[];
  /** CPU seconds (user + system) this process spent in each run; robust on a busy machine. */
  cpu: number[];
  /** Events per second of the median run. */
  eventsPerSecond: number;
  /** Posts created or updated per second of the median run. */
  postsPerSecond: number;
  /** Posts created or updated per CPU second of the median run. */
  postsPerCpuSecond: number;
}

export async function runStoreBench({ quick = false, batchSize = 2000 }: StoreBenchOptions = {}): Promise<StoreBenchResult> {
  const all = readLines(join(sharedDataFolder, 'jetstream-bench.ndjson'));
  const lines = quick ? all.slice(0, 10_000) : all;
  const batches = toBatches(lines, batchSize, standInScore);
  const posts = batches.reduce((sum, batch) => sum + batch.effects.filter((effect) => effect.kind === 'upsert').length, 0);
  const lastTimeMs = Math.floor(lines.at(-1)!.time_us / 1000);

  const runs: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < (quick ? 1 : 3); run += 1) {
    const folder = mkdtempSync(join(tmpdir(), 'skypulse-store-bench-'));
    try {
      const config = loadConfig({ DATABASE_URL: `file:${join(folder, 'bench.db')}` });
      const store = await openStore({ config, logger: silentLogger(), now: () => lastTimeMs, pruneIntervalMs: 0 });
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      for (const batch of batches) await store.applyBatch(batch);
      runs.push((performance.now() - started) / 1000);
      const used = process.cpuUsage(cpuStarted);
      cpu.push((used.user + used.system) / 1e6);
      await store.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
  const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const median = middle(runs);
  return {
    events: lines.length,
    posts,
    batchSize,
    runs,
    cpu,
    eventsPerSecond: Math.round(lines.length / median),
    postsPerSecond: Math.round(posts / median),
    postsPerCpuSecond: Math.round(posts / middle(cpu)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runStoreBench({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(result, null, 2));
}
