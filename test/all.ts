/**
 * The single entry point of the test suite, the same on Node (`tsx test/all.ts`) and Deno
 * (`deno run … test/all.ts`). It imports every `*.test.ts` under `test/`; uvu queues each
 * suite and prints one summary, exiting non-zero when any test fails.
 * Set TEST_FILTER to a substring of a file path to run only matching files.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { countPrerequisiteSkips } from './support/prerequisite-skips.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const filter = process.env.TEST_FILTER ?? '';

function findTests(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...findTests(path));
    else if (entry.name.endsWith('.test.ts')) found.push(path);
  }
  return found.sort();
}

const files = findTests(root).filter((path) => relative(root, path).includes(filter));
if (files.length === 0) {
  console.error(`No test file matches TEST_FILTER=${JSON.stringify(filter)}.`);
  process.exit(1);
}
let capturedOutput = '';
const writeOutput = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
  capturedOutput += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
  if (capturedOutput.length > 1_000_000) capturedOutput = capturedOutput.slice(-100_000);
  return writeOutput(chunk, ...rest);
}) as typeof process.stdout.write;

// Deferred mode, as uvu's own CLI runs files. Without it every suite's run() schedules a run
// of the whole queue on a timer. A timer that fires between two slow imports then starts a
// second run over the same queue, so suites run twice and at the same time.
const globals = globalThis as { UVU_DEFER?: number; UVU_QUEUE?: unknown[][]; UVU_INDEX?: number };
globals.UVU_DEFER = 1;
globals.UVU_QUEUE = [];
for (const [index, file] of files.entries()) {
  globals.UVU_QUEUE.push([relative(root, file)]);
  globals.UVU_INDEX = index;
  await import(pathToFileURL(file).href);
}
const { exec } = await import('uvu');
await exec();

// uvu 0.5.6 returns from a `finally` block in its runner, so an exception in a `before` or
// `after` hook is swallowed: the suite prints (0 / N) and the run still exits 0. The summary
// lines are checked here so that such a suite fails the run.
const summary = capturedOutput.replace(/\x1b\[[0-9;]*m/g, '');
const count = (label: string) => Number(summary.match(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm'))?.[1] ?? NaN);
const [total, passed, skipped] = [count('Total'), count('Passed'), count('Skipped')];
if (!(passed + skipped >= total)) {
  console.error(`${total - passed - skipped} of ${total} tests did not pass; a suite whose tests show no result had a hook that threw.`);
  process.exitCode = 1;
}

// Tests whose prerequisite (data set, redis-server, Chromium, sqlite3) is missing print
// "skipped: <reason>" and return; uvu counts them as passed, so they are reported here.
const prerequisiteSkips = countPrerequisiteSkips(summary);
console.log(`prerequisite skips: ${prerequisiteSkips}`);
