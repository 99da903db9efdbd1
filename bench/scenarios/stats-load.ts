/**
 * `/api/stats` under HTTP load: autocannon with 100 connections (10 in quick mode) against the
 * service while it ingests the replay at its original pace, so the statistics keep changing.
 */
import { autocannonCommand, runAutocannon } from '../lib/autocannon.ts';
import { progress } from '../lib/progress.ts';
import { CpuMeter, waitForQuietMachine } from '../lib/proc.ts';
import { startBenchReplay, reserveFreePort, loadCapture } from '../lib/replay.ts';
import { displayCommand } from '../lib/paths.ts';
import { newResult, quietWaitMs, type Scenario } from '../lib/scenario.ts';
import { startService } from '../lib/service.ts';
import { formatNumber } from '../lib/table.ts';
import { profileRun } from './profile-run.ts';

export const statsLoadScenario: Scenario = {
  id: 'stats-load',
  title: '6. /api/stats under HTTP load',
  startsService: true,
  async run(context) {
    const result = newResult(this, context.runtime);
    const connections = context.quick ? 10 : 100;
    const durationSeconds = context.quick ? 2 : 10;
    const capture = loadCapture(context.benchFile);
    result.notes.push(`Scale: ${connections} connections, ${durationSeconds} s per run.`);

    const port = await reserveFreePort();
    const replay = await startBenchReplay({ capture, speed: 1, loop: true, port });
    const service = await startService({
      runtime: context.runtime,
      cpus: '1',
      inspect: context.profile,
      env: {
        JETSTREAM_URL: `ws://127.0.0.1:${port}/subscribe`,
        // With the default per-client limit most requests would get 429, and the run would measure the limiter.
        RATE_LIMIT_PER_MINUTE: '10000000',
        ...context.serviceEnv,
      },
    });
    const removeCleanup = context.onInterrupt(async () => {
      await service.stop();
      await replay.close();
    });

    const url = `${service.baseUrl}/api/stats`;
    const rates: number[] = [];
    const p99s: number[] = [];
    const p50s: number[] = [];
    let failures = 0;
    let requests = 0;
    try {
      progress(result.title, 'warm-up');
      await runAutocannon({ url, connections, durationSeconds: context.quick ? 1 : 3, cpus: '0' });
      for (let run = 1; run <= context.runs; run++) {
        result.foreignCpu.push(0);
        const quiet = await waitForQuietMachine([process.pid, service.pid], quietWaitMs(context));
        progress(result.title, `run ${run}/${context.runs} (${durationSeconds} s, ${connections} connections; foreign CPU before ${formatNumber(quiet, 0)}%)`);
        const meter = new CpuMeter();
        meter.track(process.pid, 'harness');
        meter.track(service.pid, 'service');
        meter.start();
        const measure = () =>
          runAutocannon({ url, connections, durationSeconds, cpus: '0', onStart: (pid) => meter.track(pid, 'autocannon') });
        const outcome = run === context.runs && context.profile ? await profileRun(service, context, result, measure) : await measure();
        const usage = meter.stop();
        result.foreignCpu[result.foreignCpu.length - 1] = usage.foreignPercent;
        rates.push(outcome.requestsPerSecond);
        p99s.push(outcome.latencyP99Ms);
        p50s.push(outcome.latencyP50Ms);
        failures += outcome.non2xx + outcome.errors + outcome.timeouts;
        requests += outcome.requests;
        if (run === context.runs) {
          result.notes.push(
            `CPU in the last run: service ${formatNumber(usage.processes.service ?? 0, 0)}% of one core (pinned to CPU 1), autocannon ${formatNumber(usage.processes.autocannon ?? 0, 0)}% (pinned to CPU 0).`,
          );
        }
      }
    } finally {
      await service.stop();
      await replay.close();
      removeCleanup();
    }

    result.measurements.push(
      { key: 'rps', label: 'requests/s', unit: 'req/s', runs: rates, target: { text: '>= 10,000 req/s (Node)', atLeast: 10_000, nodeOnly: true } },
      { key: 'p50', label: 'latency p50', unit: 'ms', runs: p50s, digits: 1 },
      { key: 'p99', label: 'latency p99', unit: 'ms', runs: p99s, digits: 1, target: { text: '<= 10 ms (Node)', atMost: 10, nodeOnly: true } },
    );
    result.checks.push({ name: 'every request answered 2xx', ok: failures === 0 && requests > 0, detail: `${formatNumber(requests)} requests, ${failures} non-2xx, errors or timeouts` });
    result.checks.push({ name: 'no error logged', ok: service.errorLines().length === 0, detail: service.errorLines()[0]?.slice(0, 200) ?? 'none' });
    result.notes.push(
      `Command per run: \`${displayCommand(autocannonCommand({ url: 'http://127.0.0.1:PORT/api/stats', connections, durationSeconds, cpus: '0' }))}\`, after a warm-up run; the service ran with RATE_LIMIT_PER_MINUTE=10000000 and ingested the replay at its original pace.`,
    );
    return result;
  },
};
