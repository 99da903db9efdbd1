/**
 * Catch-up ingest: the bench capture served by the replay tool as fast as the service reads,
 * through the whole pipeline (parse, score, store with cursor, publish, broadcast to 100
 * connected socket.io-client clients) until the stored cursor reaches the last event. In the
 * same run: the scoring-only loop over the same events, and raw intake of the service's
 * consumer beside @skyware/jetstream reading the same replay.
 */
import { execFileSync } from 'node:child_process';
import { ClientFleet } from '../lib/client-fleet.ts';
import { CursorProbe } from '../lib/cursor-probe.ts';
import { expectedCounts, type ExpectedCounts } from '../lib/events.ts';
import { displayCommand } from '../lib/paths.ts';
import { progress } from '../lib/progress.ts';
import { canPin, CpuMeter, onlineCpuCount, readThreadSchedules, scheduleBetween, waitForQuietMachine, type ProcessSchedule } from '../lib/proc.ts';
import { loadCapture, reserveFreePort, sliceCapture, startBenchReplay, type LoadedCapture } from '../lib/replay.ts';
import type { Check, ScenarioResult } from '../lib/results.ts';
import { newResult, quietWaitMs, type Scenario, type ScenarioContext } from '../lib/scenario.ts';
import { startService, type ServiceUnderTest } from '../lib/service.ts';
import { formatNumber } from '../lib/table.ts';
import { runWorkerScript, workerCommand } from '../lib/worker-script.ts';
import type { StatsSnapshot } from '../../src/hub/events.ts';
import { CONTENDED_PERCENT } from '../lib/report.ts';
import { profileRun } from './profile-run.ts';

const CLIENTS = 100;
const QUICK_EVENTS = 10_000;
/** Pairs of raw intake runs in full mode; one read takes well under a second, so more runs cost little and steady the median. */
const INTAKE_RUNS = 5;

interface CatchUpRun {
  seconds: number;
  checks: Check[];
  cpuNote: string;
  foreignPercent: number;
}

export const ingestScenario: Scenario = {
  id: 'ingest',
  title: '2. Catch-up ingest of the bench capture',
  startsService: true,
  async run(context) {
    const result = newResult(this, context.runtime);
    const full = loadCapture(context.benchFile);
    const capture = context.quick ? sliceCapture(full, QUICK_EVENTS) : full;
    const expected = context.quick ? expectedCounts(capture.events.map((event) => event.payload.toString('utf8'))) : context.benchCounts;
    const clients = context.quick ? 10 : CLIENTS;
    if (context.quick) result.notes.push(`Quick mode: the first ${formatNumber(QUICK_EVENTS)} events and ${clients} clients.`);

    // The harness (replay server) and the load generator stay on CPU 0. The service may use
    // every CPU, because on Node its store writes from a worker thread while the main thread
    // scores. The scoring-only loop and the intake readers get CPU 1 to themselves.
    pinHarness('0');
    try {
      const endToEnd: number[] = [];
      const warmUps = context.quick ? 0 : 1;
      for (let run = 1 - warmUps; run <= context.runs; run++) {
        const label = run < 1 ? 'warm-up' : `run ${run}/${context.runs}`;
        const outcome = await catchUp(context, result, capture, expected, clients, label, context.profile && run === context.runs);
        if (run < 1) continue;
        endToEnd.push(expected.creates / outcome.seconds);
        result.foreignCpu.push(outcome.foreignPercent);
        if (run === context.runs) result.checks.push(...outcome.checks);
        if (run === context.runs) result.notes.push(outcome.cpuNote);
      }

      const events = String(capture.events.length);
      await waitForQuietMachine([process.pid], quietWaitMs(context));
      const loopMeter = new CpuMeter();
      loopMeter.track(process.pid, 'harness');
      loopMeter.start();
      const loop = await runWorkerScript<{ creates: number; postsPerSecond: number[] }>({
        runtime: context.runtime,
        script: 'scoring-loop.ts',
        args: [context.benchFile, events, String(context.runs)],
        cpus: '1',
        timeoutMs: 600_000,
        onStderrLine: (line) => progress(result.title, `scoring-only loop ${line}`),
        onStart: (pid) => loopMeter.track(pid, 'scoring loop'),
      });
      const loopForeign = loopMeter.stop().foreignPercent;

      const ours: number[] = [];
      const skyware: number[] = [];
      const intakeForeign: number[] = [];
      // One read of each client first warms the replay server's code in this process and the page cache.
      if (!context.quick) for (const client of ['ours', 'skyware'] as const) await readReplay(context, capture, expected.creates, client);
      const intakeRuns = context.quick ? 1 : Math.max(context.runs, INTAKE_RUNS);
      for (let run = 1; run <= intakeRuns; run++) {
        // Alternating the order keeps a slow spell of the machine from favouring one client.
        const order = run % 2 === 1 ? (['ours', 'skyware'] as const) : (['skyware', 'ours'] as const);
        for (const client of order) {
          progress(result.title, `raw intake run ${run}/${intakeRuns}: ${client}`);
          const { rate, foreignPercent } = await readReplay(context, capture, expected.creates, client);
          (client === 'ours' ? ours : skyware).push(rate);
          intakeForeign.push(foreignPercent);
        }
      }

      const pairs = (left: number[], right: number[]) => left.map((value, index) => value / right[index]!);
      result.measurements.push(
        { key: 'e2e', label: 'end to end (posts/s)', unit: 'posts/s', runs: endToEnd, target: { text: '>= 25,000 posts/s', atLeast: 25_000 } },
        { key: 'scoring-loop', label: 'scoring-only loop (posts/s)', unit: 'posts/s', runs: loop.postsPerSecond },
        { key: 'e2e-ratio', label: 'end to end ÷ scoring-only loop', unit: '', runs: pairs(endToEnd, loop.postsPerSecond), digits: 2, target: { text: '>= 0.80', atLeast: 0.8 } },
        { key: 'intake-ours', label: 'raw intake, skypulse consumer (posts/s)', unit: 'posts/s', runs: ours },
        { key: 'intake-skyware', label: 'raw intake, @skyware/jetstream (posts/s)', unit: 'posts/s', runs: skyware },
        { key: 'intake-ratio', label: 'raw intake ours ÷ skyware', unit: '', runs: pairs(ours, skyware), digits: 2, target: { text: '>= 1.00 (not slower)', atLeast: 1 } },
      );
      // The loop and the intake reads count towards the contention mark like the catch-up runs.
      const sideForeign = Math.max(loopForeign, ...intakeForeign);
      if (sideForeign > CONTENDED_PERCENT) result.foreignCpu.push(sideForeign);
      result.notes.push(`Foreign CPU during the scoring-only loop ${formatNumber(loopForeign, 0)}%, during the raw intake reads at most ${formatNumber(Math.max(...intakeForeign), 0)}%.`);
      result.checks.push({
        name: 'scoring-only loop saw every post',
        ok: loop.creates === expected.creates,
        detail: `${formatNumber(loop.creates)} of ${formatNumber(expected.creates)} post creates`,
      });
      result.notes.push(
        `Workload: ${formatNumber(capture.events.length)} events, ${formatNumber(expected.creates)} post creates, ${formatNumber(expected.postsAlive)} posts alive at the end; posts/s counts post creates over the time from the consumer's connection to the stored cursor reaching the last event (read from the database every 10 ms).${context.quick ? '' : ' One warm-up run precedes the measured runs; each run starts from an empty database.'}`,
        `The scoring-only loop decodes (JSON parse and validation) and scores every event from memory with the service's scorer: \`${displayCommand(workerCommand(context.runtime, 'scoring-loop.ts', ['jetstream-bench.ndjson', events, String(context.runs)], '1'))}\`.`,
        `Raw intake: each client reads the same replay (speed max) in its own process pinned to CPU 1 and stops at the last post create, in alternating order${context.quick ? '' : ' after one discarded read each'}; ours is the service's upstream connection and frame decoder without scoring or storage: \`${displayCommand(workerCommand(context.runtime, 'intake-reader.ts', ['ours|skyware', 'URL', String(expected.creates), '120000'], '1'))}\`.`,
      );
    } finally {
      pinHarness(allCpus());
    }
    return result;
  },
};

async function catchUp(
  context: ScenarioContext,
  result: ScenarioResult,
  capture: LoadedCapture,
  expected: ExpectedCounts,
  clients: number,
  label: string,
  profile: boolean,
): Promise<CatchUpRun> {
  const port = await reserveFreePort();
  const service = await startService({
    runtime: context.runtime,
    cpus: allCpus(),
    inspect: profile,
    env: { JETSTREAM_URL: `ws://127.0.0.1:${port}/subscribe`, RECONNECT_MIN_MS: '20', RECONNECT_MAX_MS: '100', ...context.serviceEnv },
  });
  let fleet: ClientFleet | null = null;
  let replay: Awaited<ReturnType<typeof startBenchReplay>> | null = null;
  const probe = new CursorProbe(service.databaseFolder);
  const cleanup = async () => {
    probe.close();
    await replay?.close();
    await fleet?.close();
    await service.stop();
  };
  const removeCleanup = context.onInterrupt(cleanup);

  try {
    fleet = await ClientFleet.start(1, '0');
    const { connected } = await fleet.connect(service.baseUrl, clients, 200, 'socket.io');
    const foreignBefore = await waitForQuietMachine([process.pid, service.pid, ...fleet.pids], quietWaitMs(context));
    progress(result.title, `${label}: ${connected} clients connected, foreign CPU ${formatNumber(foreignBefore, 0)}%; replaying ${formatNumber(capture.events.length)} events`);

    const meter = new CpuMeter();
    meter.track(process.pid, 'harness and replay');
    meter.track(service.pid, 'service');
    for (const pid of fleet.pids) meter.track(pid, 'load generator');
    meter.start();
    const threadsBefore = readThreadSchedules(service.pid);

    const measure = async () => {
      replay = await startBenchReplay({ capture, speed: 'max', port });
      const reachedAt = await probe.waitFor(expected.lastTimeUs, 600_000, (cursor) => {
        if (cursor === null) return;
        const share = (cursor - expected.firstTimeUs) / (expected.lastTimeUs - expected.firstTimeUs);
        progress(result.title, `${label}: stored cursor at ${formatNumber(100 * share, 0)}% of the capture`);
      });
      if (reachedAt === null) throw new Error(`the stored cursor did not reach ${expected.lastTimeUs} within 600 s; service output:\n${service.tail()}`);
      return (reachedAt - replay.firstConnectionMs!) / 1000;
    };
    const seconds = profile ? await profileRun(service, context, result, measure) : await measure();
    const usage = meter.stop();
    const schedule = scheduleBetween(service.pid, threadsBefore, readThreadSchedules(service.pid));

    // The consumer publishes its status about once a second, so /api/stats may lag the database.
    const stats = await pollStats(service, (snapshot) => snapshot.firehose.cursor === expected.lastTimeUs && snapshot.totals.posts === expected.postsAlive);
    const report = await fleet.report();
    const tally = report.digests[0];
    const checks: Check[] = [
      {
        name: 'exactly the posts alive at the end are stored',
        ok: stats.totals.posts === expected.postsAlive,
        detail: `/api/stats totals.posts ${formatNumber(stats.totals.posts)}, expected ${formatNumber(expected.postsAlive)}`,
      },
      {
        name: 'stored cursor is the last event',
        ok: stats.firehose.cursor === expected.lastTimeUs,
        detail: `firehose.cursor ${stats.firehose.cursor}, expected ${expected.lastTimeUs}`,
      },
      {
        name: 'every connected client got the same batches',
        ok: connected === clients && report.digests.length === 1 && tally !== undefined && tally.batches > 0 && report.disconnects === 0,
        detail: `${connected} of ${clients} clients connected; ${tally ? `${formatNumber(tally.clients)} got ${formatNumber(tally.batches)} batches with ${formatNumber(tally.posts)} posts` : 'no batches'}; ${report.disconnects} disconnects; ${report.digests.length} distinct tallies`,
      },
      { name: 'no error logged', ok: service.errorLines().length === 0, detail: service.errorLines()[0]?.slice(0, 300) ?? 'none' },
    ];
    const shares = Object.entries(usage.processes).map(([name, percent]) => `${name} ${formatNumber(percent, 0)}%`).join(', ');
    return {
      seconds,
      checks,
      foreignPercent: usage.foreignPercent,
      cpuNote:
        `Last run took ${formatNumber(seconds, 2)} s; the service could use CPUs ${allCpus()}, while the harness with the replay server and the ${clients} socket.io-client clients were pinned to CPU 0. CPU (100% = one core): ${shares}; foreign ${formatNumber(usage.foreignPercent, 0)}%. ` +
        scheduleNote(schedule),
    };
  } finally {
    await cleanup();
    removeCleanup();
  }
}

/** Polls /api/stats until `done` holds or 5 s pass; returns the last snapshot. */
async function pollStats(service: ServiceUnderTest, done: (snapshot: StatsSnapshot) => boolean): Promise<StatsSnapshot> {
  const deadline = performance.now() + 5000;
  for (;;) {
    const snapshot = await service.getJson<StatsSnapshot>('/api/stats');
    if (done(snapshot) || performance.now() > deadline) return snapshot;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Posts per second one intake client reached on a fresh replay of the capture, and the foreign CPU meanwhile. */
async function readReplay(
  context: ScenarioContext,
  capture: LoadedCapture,
  creates: number,
  client: 'ours' | 'skyware',
): Promise<{ rate: number; foreignPercent: number }> {
  const replay = await startBenchReplay({ capture, speed: 'max' });
  const removeCleanup = context.onInterrupt(() => replay.close());
  try {
    await waitForQuietMachine([process.pid], quietWaitMs(context));
    const meter = new CpuMeter();
    meter.track(process.pid, 'harness and replay');
    meter.start();
    const outcome = await runWorkerScript<{ createsPerSecond: number }>({
      runtime: context.runtime,
      script: 'intake-reader.ts',
      args: [client, replay.server.url, String(creates), '120000'],
      cpus: '1',
      timeoutMs: 180_000,
      onStart: (pid) => meter.track(pid, 'reader'),
    });
    return { rate: outcome.createsPerSecond, foreignPercent: meter.stop().foreignPercent };
  } finally {
    await replay.close();
    removeCleanup();
  }
}

/** Returns every CPU of the machine as a taskset list, such as `0-1`. */
function allCpus(): string {
  return `0-${onlineCpuCount() - 1}`;
}

/** Pins every thread of the harness process to `cpus` (a taskset list). */
function pinHarness(cpus: string): void {
  if (!canPin()) return;
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
}

/** Describes how long the service's threads ran and how long they waited for a CPU (Linux schedstat). */
function scheduleNote({ main, others, activeThreads }: ProcessSchedule): string {
  if (activeThreads === 0) return 'Per-thread scheduler times were not available.';
  const seconds = (ns: number) => `${formatNumber(ns / 1e9, 2)} s`;
  return (
    `Service threads during the run (Linux schedstat): the main thread ran ${seconds(main.onCpuNs)} and waited ${seconds(main.waitingNs)} for a CPU. ` +
    `Its ${activeThreads - 1} other active threads (worker threads such as the scoring thread, and the runtime's own, such as garbage collection) ran ${seconds(others.onCpuNs)} and waited ${seconds(others.waitingNs)}.`
  );
}
