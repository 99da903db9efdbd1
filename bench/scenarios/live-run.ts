/**
 * One run of a live broadcast: the service tails the replay at a fixed post rate while
 * load-generator processes hold Socket.IO clients. Shared by the latency, fan-out and soak
 * scenarios. Clients connect before the first event is sent and the run waits until deliveries
 * stop, so every client can have received every batch.
 */
import { ClientFleet, type FleetReport } from '../lib/client-fleet.ts';
import { progress } from '../lib/progress.ts';
import { CpuMeter, waitForQuietMachine, type CpuUsage } from '../lib/proc.ts';
import { loadCapture, originalPostRate, reserveFreePort, startBenchReplay, type LoadedCapture } from '../lib/replay.ts';
import type { ScenarioResult } from '../lib/results.ts';
import { quietWaitMs, type ScenarioContext } from '../lib/scenario.ts';
import { startService, type ServiceUnderTest } from '../lib/service.ts';
import { median } from '../lib/stats.ts';
import { formatBytes, formatNumber } from '../lib/table.ts';
import { wallClockMs } from '../lib/wall-clock.ts';
import type { ClientKind } from '../workers/client-protocol.ts';
import { profileRun } from './profile-run.ts';

export interface LiveRunOptions {
  context: ScenarioContext;
  result: ScenarioResult;
  clients: number;
  processes: number;
  kind: ClientKind;
  /** Socket.IO handshakes per second over all load generators. */
  connectPerSecond: number;
  postsPerSecond: number;
  durationSeconds: number;
  /**
   * Replay the capture again (with shifted times) when it runs out. Posts then repeat, so the
   * run cannot wait for every client to account for every post sent and waits for quiet only.
   */
  loop?: boolean;
  env?: Record<string, string>;
  serviceCpus?: string;
  clientCpus?: string;
  /** Time with every client connected and no traffic before the idle memory sample. */
  idleSettleMs: number;
  rssIntervalMs: number;
  profile: boolean;
  /** Whether to also measure the JavaScript heap in use after a full garbage collection, through the inspector. */
  liveHeap?: boolean;
  /** Whether each RSS sample also reads the JavaScript heap (no collection), through the inspector. */
  heapSamples?: boolean;
}

export interface LiveRunOutcome {
  connected: number;
  connectFailures: number;
  baselineRssBytes: number;
  idleRssBytes: number;
  /** Heap in use after a full collection, before any client and with every client idle; null unless `liveHeap`. */
  baselineHeapBytes: number | null;
  idleHeapBytes: number | null;
  peakRssBytes: number;
  /** Service RSS during the broadcast, by seconds since the replay started. */
  rssSamples: Array<{ atSeconds: number; bytes: number; heap?: { usedBytes: number; totalBytes: number } }>;
  report: FleetReport;
  /** CPU over the broadcast window (replay start to last delivery). */
  cpu: CpuUsage;
  createsSent: number;
  broadcastSeconds: number;
  errorLines: string[];
}

/** Time without any delivery after which the backlog counts as drained. */
const QUIET_AFTER_LAST_DELIVERY_MS = 2000;
/** Shorter quiet time once every client has accounted for every post sent. */
const QUIET_WHEN_COMPLETE_MS = 300;
const DRAIN_TIMEOUT_MS = 60_000;

export async function runLive(options: LiveRunOptions): Promise<LiveRunOutcome> {
  const { context, result } = options;
  const capture: LoadedCapture = loadCapture(context.benchFile);
  const speed = options.postsPerSecond / originalPostRate(capture);
  const port = await reserveFreePort();

  const service = await startService({
    runtime: context.runtime,
    cpus: options.serviceCpus,
    inspect: options.profile || options.liveHeap === true || options.heapSamples === true,
    env: {
      JETSTREAM_URL: `ws://127.0.0.1:${port}/subscribe`,
      // The replay server starts only once the clients are connected; until then the consumer retries quickly.
      RECONNECT_MIN_MS: '20',
      RECONNECT_MAX_MS: '200',
      ...options.env,
      ...context.serviceEnv,
    },
  });
  let fleet: ClientFleet | null = null;
  let replay: Awaited<ReturnType<typeof startBenchReplay>> | null = null;
  const cleanup = async () => {
    await replay?.close();
    await fleet?.close();
    await service.stop();
  };
  const removeCleanup = context.onInterrupt(cleanup);

  try {
    fleet = await ClientFleet.start(options.processes, options.clientCpus);
    await sleep(3000);
    // The collection comes before the RSS sample, so it cannot lower the idle figure below.
    const baselineHeapBytes = options.liveHeap ? await liveHeapBytes(service) : null;
    const baselineRssBytes = await sampleRss(service);

    const connectStarted = performance.now();
    const connecting = fleet.connect(service.baseUrl, options.clients, options.connectPerSecond, options.kind);
    const connectTicker = setInterval(() => progress(result.title, `connecting ${options.clients} clients (${formatNumber((performance.now() - connectStarted) / 1000, 0)} s)`), 1000);
    const { connected, failures } = await connecting.finally(() => clearInterval(connectTicker));
    progress(result.title, `${connected} clients connected in ${formatNumber((performance.now() - connectStarted) / 1000, 1)} s; idle for ${options.idleSettleMs / 1000} s`);
    await sleep(options.idleSettleMs);
    const idleRssBytes = await sampleRss(service);
    const idleHeapBytes = options.liveHeap ? await liveHeapBytes(service) : null;

    await waitForQuietMachine([process.pid, service.pid, ...fleet.pids], quietWaitMs(context));
    const meter = new CpuMeter();
    meter.track(process.pid, 'harness and replay');
    meter.track(service.pid, 'service');
    for (const pid of fleet.pids) meter.track(pid, 'load generators');
    meter.start();

    const broadcast = async () => {
      const activeFleet = fleet!;
      replay = await startBenchReplay({ capture, speed, loop: options.loop ?? false, port, recordSendTimes: true });
      const started = performance.now();
      const rssSamples: LiveRunOutcome['rssSamples'] = [];
      let createsSent = 0;
      let lastRssAt = -Infinity;
      // A profile run keeps the inspector session to itself, so it takes no heap samples.
      const heapReader = options.heapSamples && !options.profile ? await service.profiler() : null;
      while (performance.now() - started < options.durationSeconds * 1000) {
        await sleep(100);
        const times = replay.takeSendTimes();
        createsSent += times.length;
        activeFleet.sendTimes(times);
        const elapsed = (performance.now() - started) / 1000;
        if (performance.now() - lastRssAt >= options.rssIntervalMs) {
          lastRssAt = performance.now();
          const heap = heapReader ? await heapReader.heapUsage() : undefined;
          rssSamples.push({ atSeconds: elapsed, bytes: service.rssBytes() ?? 0, heap });
          meter.sample();
          progress(
            result.title,
            `${formatNumber(elapsed, 0)}/${options.durationSeconds} s, ${formatNumber(createsSent)} posts sent, service RSS ${formatBytes(rssSamples.at(-1)!.bytes)}`,
          );
        }
      }
      heapReader?.close();
      // Stop the replay first, so nothing new is sent while the backlog drains.
      const stopped = replay;
      replay = null;
      await stopped.close();
      const remaining = stopped.takeSendTimes();
      createsSent += remaining.length;
      activeFleet.sendTimes(remaining);
      const broadcastSeconds = (performance.now() - started) / 1000;
      const report = await waitForDrain(activeFleet, options.loop ? null : createsSent);
      return { rssSamples, createsSent, broadcastSeconds, report };
    };
    const outcome = options.profile ? await profileRun(service, context, result, broadcast) : await broadcast();
    const cpu = meter.stop();

    const peakRssBytes = Math.max(idleRssBytes, ...outcome.rssSamples.map((sample) => sample.bytes));
    return {
      connected,
      connectFailures: failures,
      baselineRssBytes,
      idleRssBytes,
      baselineHeapBytes,
      idleHeapBytes,
      peakRssBytes,
      cpu,
      errorLines: service.errorLines(),
      ...outcome,
    };
  } finally {
    await cleanup();
    removeCleanup();
  }
}

/** Heap in use after a full garbage collection, read through the inspector. */
export async function liveHeapBytes(service: ServiceUnderTest): Promise<number> {
  const inspector = await service.profiler();
  try {
    return await inspector.liveHeapBytes();
  } finally {
    inspector.close();
  }
}

/** Median of three RSS samples 500 ms apart. */
export async function sampleRss(service: ServiceUnderTest): Promise<number> {
  const samples: number[] = [];
  for (let index = 0; index < 3; index++) {
    if (index > 0) await sleep(500);
    samples.push(service.rssBytes() ?? 0);
  }
  return median(samples);
}

/**
 * Polls the load generators until the backlog has drained: every client has accounted for
 * `expectedMatched` posts (delivered or sampled out), or, when that is null or never happens,
 * no client has received anything for a while. A saturated service can send a batch only every
 * few seconds, so quiet alone would end the wait too early.
 */
async function waitForDrain(fleet: ClientFleet, expectedMatched: number | null): Promise<FleetReport> {
  const deadline = performance.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    await sleep(500);
    const report = await fleet.report();
    const quietFor = wallClockMs() - report.lastArrivalMs;
    const complete = expectedMatched !== null && report.digests.length > 0 && report.digests.every((tally) => tally.matched >= expectedMatched);
    if (complete && quietFor >= QUIET_WHEN_COMPLETE_MS) return report;
    if (expectedMatched === null && quietFor >= QUIET_AFTER_LAST_DELIVERY_MS) return report;
    if (performance.now() > deadline) return report;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
