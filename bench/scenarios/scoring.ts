/**
 * Scoring throughput on one core: this project's VADER analyzer beside the npm `vader-sentiment`
 * port on the ground-truth texts, measured by bench/scoring.ts in a process pinned to CPU 1 on
 * the runtime under test.
 */
import { progress } from '../lib/progress.ts';
import { CpuMeter, waitForQuietMachine } from '../lib/proc.ts';
import { displayCommand } from '../lib/paths.ts';
import { newResult, quietWaitMs, type Scenario } from '../lib/scenario.ts';
import { runWorkerScript, workerCommand } from '../lib/worker-script.ts';
import type { ScoringBenchResult } from '../scoring.ts';

export const scoringScenario: Scenario = {
  id: 'scoring',
  title: '1. Scoring on one core',
  startsService: false,
  async run(context) {
    const result = newResult(this, context.runtime);
    const mode = context.quick ? 'quick' : 'full';
    const passes = context.quick ? 1 : 5;
    const ours: number[] = [];
    const peer: number[] = [];
    const ratio: number[] = [];
    let texts = 0;

    for (let run = 1; run <= context.runs; run++) {
      await waitForQuietMachine([process.pid], quietWaitMs(context));
      const meter = new CpuMeter();
      meter.track(process.pid, 'harness');
      meter.start();
      const outcome = await runWorkerScript<ScoringBenchResult>({
        runtime: context.runtime,
        script: 'scoring-bench.ts',
        args: [mode, String(passes)],
        cpus: '1',
        timeoutMs: 600_000,
        onStderrLine: (line) => progress(result.title, `run ${run}/${context.runs}: ${line.replace(/\r|\x1b\[K/g, '')}`),
        onStart: (pid) => meter.track(pid, 'scoring'),
      });
      result.foreignCpu.push(meter.stop().foreignPercent);
      ours.push(outcome.ours);
      peer.push(outcome.peer);
      ratio.push(outcome.ratio);
      texts = outcome.texts;
    }

    result.measurements.push(
      { key: 'ours', label: 'skypulse analyzer', unit: 'texts/s', runs: ours, target: { text: '>= 100,000 texts/s', atLeast: 100_000 } },
      { key: 'peer', label: 'vader-sentiment 1.1.3', unit: 'texts/s', runs: peer },
      { key: 'ratio', label: 'ratio to vader-sentiment', unit: '×', runs: ratio, digits: 1, target: { text: '>= 20×', atLeast: 20 } },
    );
    result.checks.push({ name: 'both analyzers scored every text', ok: texts > 0 && ours.every((rate) => rate > 0) && peer.every((rate) => rate > 0), detail: `${texts} texts per pass` });
    result.notes.push(
      `Each run is one process pinned to CPU 1 (\`${displayCommand(workerCommand(context.runtime, 'scoring-bench.ts', [mode, String(passes)], '1'))}\`): a warm-up, then ${passes} timed pass${passes > 1 ? 'es' : ''} per analyzer over ${texts.toLocaleString('en-US')} texts of the VADER ground-truth corpora; a run's figure is its median pass.`,
    );
    return result;
  },
};
