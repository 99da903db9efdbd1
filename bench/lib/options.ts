/** Command-line options of `bench/run.ts`. */
import type { RuntimeName } from './service.ts';

export interface BenchOptions {
  quick: boolean;
  runtimes: RuntimeName[];
  /** Scenario ids to run; empty means all. */
  only: string[];
  /** Measured runs per scenario; defaults to 3 (1 in quick mode). */
  runs: number;
  profile: boolean;
  /** Write docs/BENCHMARKS.md (full mode only). */
  writeDocument: boolean;
  /** Saved result files to merge into the report instead of running anything. */
  fromRecords: string[];
  /** Extra environment for the service under test, for experiments with its settings. */
  serviceEnv: Record<string, string>;
  /** Length of the soak in minutes (default 10, the target's length). */
  soakMinutes: number;
  help: boolean;
}

export const USAGE = `Usage: tsx bench/run.ts [options]

Runs the benchmark scenarios against the real service (node dist/server.js or deno run src/server.ts),
prints a table on stdout and writes docs/BENCHMARKS.md (full mode) or test-output/BENCHMARKS-quick.md.

Options:
  --quick              Small scale (about 2 minutes in all): checks correctness, never judges times,
                       leaves docs/BENCHMARKS.md alone. The soak scenario is skipped.
  --runtime NAME       node, deno or both (default both).
  --only IDS           Comma-separated scenario ids: scoring, ingest, latency, fanout, soak, stats-load.
  --runs N             Measured runs per scenario (default 3, quick mode 1).
  --profile            Record a CPU profile of the service in each scenario's last run
                       (test-output/profiles/*.cpuprofile) and list its top functions.
  --service-env LIST   Extra service settings, such as BROADCAST_TICK_MS=10,BATCH_MAX_WAIT_MS=5;
                       every result notes them. JETSTREAM_URL and DATABASE_URL cannot be set.
  --soak-minutes N     Length of the soak, from 3 to 240 minutes (default 10), to see where memory
                       levels off. Growth is still measured from minute 3 to the last minute.
  --no-document        Do not write docs/BENCHMARKS.md after a full run.
  --merge FILES        Run nothing; merge saved full-run results (test-output/bench-full-*.json,
                       comma-separated, later files win per scenario and runtime) into
                       docs/BENCHMARKS.md. For a suite run in parts, such as when the machine
                       was busy during one scenario.
  --help               Print this text.
`;

export function parseOptions(args: readonly string[]): BenchOptions {
  const options: BenchOptions = { quick: false, runtimes: ['node', 'deno'], only: [], runs: 0, profile: false, writeDocument: true, fromRecords: [], serviceEnv: {}, soakMinutes: 10, help: false };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const value = () => {
      const next = args[++index];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value.\n\n${USAGE}`);
      return next;
    };
    switch (arg) {
      case '--quick':
        options.quick = true;
        break;
      case '--runtime': {
        const name = value();
        if (name === 'both') options.runtimes = ['node', 'deno'];
        else if (name === 'node' || name === 'deno') options.runtimes = [name];
        else throw new Error(`--runtime ${JSON.stringify(name)} is invalid; expected node, deno or both.`);
        break;
      }
      case '--only':
        options.only = value().split(',').map((id) => id.trim()).filter(Boolean);
        break;
      case '--runs': {
        const text = value();
        const runs = Number(text);
        if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`--runs ${JSON.stringify(text)} is invalid; expected an integer from 1 to 50.`);
        options.runs = runs;
        break;
      }
      case '--soak-minutes': {
        const text = value();
        const minutes = Number(text);
        if (!Number.isInteger(minutes) || minutes < 3 || minutes > 240) throw new Error(`--soak-minutes ${JSON.stringify(text)} is invalid; expected an integer from 3 to 240.`);
        options.soakMinutes = minutes;
        break;
      }
      case '--profile':
        options.profile = true;
        break;
      case '--merge':
        options.fromRecords = value().split(',').map((path) => path.trim()).filter(Boolean);
        break;
      case '--service-env':
        for (const pair of value().split(',')) {
          const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair.trim());
          if (!match) throw new Error(`--service-env entry ${JSON.stringify(pair)} is invalid; expected NAME=VALUE.`);
          if (match[1] === 'JETSTREAM_URL' || match[1] === 'DATABASE_URL') throw new Error(`--service-env cannot set ${match[1]}; the harness points it at its own replay server and temporary database.`);
          options.serviceEnv[match[1]!] = match[2]!;
        }
        break;
      case '--no-document':
        options.writeDocument = false;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new Error(`Unknown option ${JSON.stringify(arg)}.\n\n${USAGE}`);
    }
  }
  if (options.runs === 0) options.runs = options.quick ? 1 : 3;
  return options;
}
