/**
 * Runs the scoring benchmark (bench/scoring.ts) in its own process, so the harness can pin it to
 * one core and run it on Node or Deno. Prints its result as one JSON line.
 *
 * Usage: scoring-bench.ts quick|full RUNS
 */
import { runScoringBench } from '../scoring.ts';

const [mode, runsText] = process.argv.slice(2);
const result = runScoringBench({ quick: mode === 'quick', runs: Number(runsText) });
process.stdout.write(`${JSON.stringify(result)}\n`);
