/**
 * Child process of the crash test: resumes the bench replay from the stored cursor, applies it
 * in batches and prints `acked <cursor>` after each commit, then `done`.
 * Usage: apply-bench-child.ts <DATABASE_URL> <bench file> <batch size>
 */
import process from 'node:process';
import { loadConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { openStore } from '../../src/store/index.ts';
import { readLines, standInScore, toBatches } from './bench-effects.ts';

const [url, benchFile, batchSize] = process.argv.slice(2);
if (!url || !benchFile || !batchSize) throw new Error('usage: apply-bench-child.ts <DATABASE_URL> <bench file> <batch size>');

const store = await openStore({ config: loadConfig({ DATABASE_URL: url }), logger: silentLogger(), pruneIntervalMs: 0 });
const cursor = (await store.readCursor()) ?? 0;
const remaining = readLines(benchFile).filter((line) => line.time_us > cursor);
for (const batch of toBatches(remaining, Number(batchSize), standInScore)) {
  await store.applyBatch(batch);
  process.stdout.write(`acked ${batch.cursor}\n`);
}
await store.close();
process.stdout.write('done\n');
