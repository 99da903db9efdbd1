/**
 * Runs the storage benchmark (bench/store.ts) in its own process, so the harness can pin it to
 * one core and run it on Node or Deno. Prints its result as one JSON line.
 *
 * Usage: store-bench.ts quick|full
 */
import { runStoreBench } from '../store.ts';

const [mode] = process.argv.slice(2);
const result = await runStoreBench({ quick: mode === 'quick' });
process.stdout.write(`${JSON.stringify(result)}\n`);
