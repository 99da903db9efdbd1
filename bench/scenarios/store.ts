/**
 * Storage write throughput, for reading the catch-up result: bench/store.ts applies the bench
 * workload (parsed and scored beforehand) to a fresh database in a process pinned to CPU 1 on
 * the runtime under test. No target of its own.
 */
import { displayCommand } from '../lib/paths.ts';
import { progress } from '../lib/progress.ts';
import { CpuMeter, waitForQuietMachine } from '../lib/proc.ts';
import { newResult, quietWaitMs, type Scenario } from '../lib/scenario.ts';
import { runWorkerScript, workerCommand } from '../lib/worker-script.ts';
import type { StoreBenchResult } from '../store.ts';

export const storeScenario: Scenario = {
  id: 'store',
  title: '2b. Storage writes alone',
  startsService: false,
  async run(context) {
    const result = newResult(this, context.runtime);
    const mode = context.quick ? 'quick' : 'full';
    await waitForQuietMachine([process.pid], quietWaitMs(context));
    progress(result.title, `applying the workload (${mode})`);
    const meter = new CpuMeter();
    meter.track(process.pid, 'harness');
    meter.start();
    const outcome = await runWorkerScript<StoreBenchResult>({
      runtime: context.runtime,
      script: 'store-bench.ts',
      args: [mode],
      cpus: '1',
      timeoutMs: 600_000,
      onStart: (pid) => meter.track(pid, 'storage'),
    });
    result.foreignCpu.push(meter.stop().foreignPercent);

    result.measurements.push(
      { key: 'posts', label: 'posts written (posts/s)', unit: 'posts/s', runs: outcome.runs.map((seconds) => outcome.posts / seconds) },
      { key: 'events', label: 'events applied (events/s)', unit: 'events/s', runs: outcome.runs.map((seconds) => outcome.events / seconds) },
    );
    result.checks.push({ name: 'every run completed', ok: outcome.runs.length > 0 && outcome.runs.every((seconds) => seconds > 0), detail: `${outcome.runs.length} runs of ${outcome.events} events` });
    result.notes.push(
      `\`${displayCommand(workerCommand(context.runtime, 'store-bench.ts', [mode], '1'))}\`: ${outcome.events.toLocaleString('en-US')} events (${outcome.posts.toLocaleString('en-US')} post upserts) in batches of ${outcome.batchSize.toLocaleString('en-US')}, each run on a fresh database; the figures are per run.`,
    );
    return result;
  },
};
