/**
 * The benchmark entry point (`npm run bench`, `npm run bench:quick`): builds the service, runs
 * each scenario against the real entry point on Node and on Deno, prints a table, and records
 * the results (docs/BENCHMARKS.md in full mode, test-output/ always).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expectedCounts, readEventLines, type ExpectedCounts } from './lib/events.ts';
import { describeMachine } from './lib/machine.ts';
import { parseOptions, USAGE, type BenchOptions } from './lib/options.ts';
import { OUTPUT_FOLDER, repositoryRoot, sharedDataFolder } from './lib/paths.ts';
import { canPin } from './lib/proc.ts';
import { announce } from './lib/progress.ts';
import { renderMarkdown, renderSummary, writeGeneratedBlock } from './lib/report.ts';
import type { BenchRecord, ScenarioResult } from './lib/results.ts';
import type { Scenario, ScenarioContext } from './lib/scenario.ts';
import { SCENARIOS } from './scenarios/index.ts';

const BENCH_FILE = 'jetstream-bench.ndjson';
const BENCH_EXPECTED = 'jetstream-bench.expected.json';

function loadBenchData(): { benchFile: string; benchCounts: ExpectedCounts } {
  const benchFile = join(sharedDataFolder, BENCH_FILE);
  const expectedFile = join(sharedDataFolder, BENCH_EXPECTED);
  if (!existsSync(benchFile) || !existsSync(expectedFile)) {
    throw new Error(`${BENCH_FILE} and ${BENCH_EXPECTED} are missing from ${sharedDataFolder}; set SKYPULSE_SHARED_DATA to the folder that contains them.`);
  }
  const benchCounts = expectedCounts(readEventLines(benchFile));
  const published = JSON.parse(readFileSync(expectedFile, 'utf8')) as { posts_alive_at_end: number; last_time_us: number; events: number };
  if (benchCounts.postsAlive !== published.posts_alive_at_end || benchCounts.lastTimeUs !== published.last_time_us || benchCounts.events !== published.events) {
    throw new Error(`${BENCH_FILE} does not match ${BENCH_EXPECTED} (posts alive ${benchCounts.postsAlive} vs ${published.posts_alive_at_end}); the data files are out of step.`);
  }
  return { benchFile, benchCounts };
}

function selectScenarios(options: BenchOptions): Scenario[] {
  const unknown = options.only.filter((id) => !SCENARIOS.some((scenario) => scenario.id === id));
  if (unknown.length > 0) throw new Error(`Unknown scenario ${unknown.join(', ')}; expected one of ${SCENARIOS.map((scenario) => scenario.id).join(', ')}.`);
  return SCENARIOS.filter((scenario) => options.only.length === 0 || options.only.includes(scenario.id));
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const options = parseOptions(args);
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options.fromRecords.length > 0) {
    const record = mergeRecords(options.fromRecords);
    process.stdout.write(`${renderSummary(record)}\n`);
    saveRecord(record, options);
    return 0;
  }
  const scenarios = selectScenarios(options);
  const data = loadBenchData();

  announce('Building dist/server.js (node tools/build.mjs) so Node runs the current source.');
  execFileSync(process.execPath, ['tools/build.mjs'], { cwd: repositoryRoot, stdio: 'inherit' });

  const cleanups = new Set<() => Promise<void> | void>();
  const interrupt = async (signal: NodeJS.Signals) => {
    announce(`${signal}: stopping every process the benchmark started.`);
    for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch(() => undefined);
    process.exit(130);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  if (!canPin()) announce('Pinning is unavailable (taskset missing or fewer than 2 CPUs): every process runs unpinned, so the CPU notes of the report do not apply.');
  const startedAt = new Date().toISOString();
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    for (const runtime of options.runtimes) {
      if (scenario.fullOnly && options.quick) continue;
      const context: ScenarioContext = {
        runtime,
        quick: options.quick,
        runs: options.runs,
        profile: options.profile,
        profileFolder: join(OUTPUT_FOLDER, 'profiles'),
        serviceEnv: options.serviceEnv,
        soakMinutes: options.soakMinutes,
        ...data,
        onInterrupt(cleanup) {
          cleanups.add(cleanup);
          return () => cleanups.delete(cleanup);
        },
      };
      announce(`== ${scenario.title} on ${runtime}`);
      const started = performance.now();
      const result = await runScenario(scenario, context);
      const overrides = Object.entries(options.serviceEnv).map(([name, value]) => `${name}=${value}`);
      if (overrides.length > 0 && scenario.startsService) result.notes.unshift(`Service settings changed for this run: ${overrides.join(', ')}.`);
      results.push(result);
      announce(`   done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }

  const record: BenchRecord = {
    startedAt,
    finishedAt: new Date().toISOString(),
    quick: options.quick,
    command: `npm run ${options.quick ? 'bench:quick' : 'bench'}${args.filter((arg) => arg !== '--quick').length ? ` -- ${args.filter((arg) => arg !== '--quick').join(' ')}` : ''}`,
    machine: describeMachine(),
    results,
  };
  process.stdout.write(`${renderSummary(record)}\n`);
  saveRecord(record, options);

  const failed = results.flatMap((result) => result.checks.filter((check) => !check.ok).map((check) => `${result.runtime} ${result.title}: ${check.name}`));
  if (failed.length > 0) {
    announce(`Correctness checks failed:\n  ${failed.join('\n  ')}`);
    return 1;
  }
  return 0;
}

async function runScenario(scenario: Scenario, context: ScenarioContext): Promise<ScenarioResult> {
  try {
    return await scenario.run(context);
  } catch (error) {
    const message = (error as Error).stack ?? String(error);
    announce(`   failed: ${message}`);
    return {
      id: scenario.id,
      title: scenario.title,
      runtime: context.runtime,
      measurements: [],
      checks: [{ name: 'scenario completed', ok: false, detail: (error as Error).message.split('\n', 1)[0]! }],
      notes: [],
      foreignCpu: [],
    };
  }
}

const runtimeOrder = (result: ScenarioResult) => (result.runtime === 'node' ? 0 : 1);

/** Merges saved full-run records; for each scenario and runtime the result of the latest file counts. */
function mergeRecords(paths: string[]): BenchRecord {
  const records = paths.map((path) => {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as BenchRecord;
    } catch (error) {
      throw new Error(`Cannot read benchmark results ${path}: ${(error as Error).message}`);
    }
  });
  const quick = records.find((record) => record.quick);
  if (quick) throw new Error(`Cannot merge quick-mode results (started ${quick.startedAt}) into the published report; merge full runs only.`);
  const latest = new Map<string, ScenarioResult>();
  for (const record of records) for (const result of record.results) latest.set(`${result.id}/${result.runtime}`, result);
  const order = SCENARIOS.map((scenario) => scenario.id);
  const results = [...latest.values()].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id) || runtimeOrder(a) - runtimeOrder(b));
  return {
    startedAt: records.map((record) => record.startedAt).sort()[0]!,
    finishedAt: records.map((record) => record.finishedAt).sort().at(-1)!,
    quick: false,
    command: [...records.map((record) => record.command), `npm run bench -- --merge ${paths.map((path) => basename(path)).join(',')}`].join('; '),
    machine: records.at(-1)!.machine,
    results,
  };
}

function saveRecord(record: BenchRecord, options: BenchOptions): void {
  mkdirSync(OUTPUT_FOLDER, { recursive: true });
  const merged = options.fromRecords.length > 0;
  const stamp = (merged ? new Date().toISOString() : record.startedAt).replace(/[:.]/g, '-');
  const jsonPath = join(OUTPUT_FOLDER, `bench-${merged ? 'merged' : record.quick ? 'quick' : 'full'}-${stamp}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(record, null, 2)}\n`);
  announce(`Raw results: ${jsonPath}`);

  const markdown = renderMarkdown(record);
  if (record.quick || !options.writeDocument) {
    const path = join(OUTPUT_FOLDER, `BENCHMARKS-${record.quick ? 'quick' : 'full'}.md`);
    writeFileSync(path, `# Benchmarks (${record.quick ? 'quick mode' : 'not published'})\n\n${markdown}\n`);
    announce(`Report: ${path}`);
    return;
  }
  const documentPath = join(repositoryRoot, 'docs/BENCHMARKS.md');
  writeGeneratedBlock(documentPath, markdown);
  announce(`Report: ${documentPath}`);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  },
);
