/**
 * The single entry point of the test suite, the same on Node (`tsx test/all.ts`) and Deno
 * (`deno run … test/all.ts`). It imports every `*.test.ts` under `test/`; uvu queues each
 * suite and prints one summary, exiting non-zero when any test fails.
 * Set TEST_FILTER to a substring of a file path to run only matching files.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
for (const file of files) await import(pathToFileURL(file).href);
