/**
 * Memory per idle client of a bare Socket.IO server (bench/workers/bare-socketio.ts) holding
 * the same clients as the fan-out scenario, measured the same way in the same run, so the
 * service's own share of each client's memory shows.
 */
import { ClientFleet } from '../lib/client-fleet.ts';
import { progress } from '../lib/progress.ts';
import type { ScenarioResult } from '../lib/results.ts';
import type { ScenarioContext } from '../lib/scenario.ts';
import { startService } from '../lib/service.ts';
import { liveHeapBytes, sampleRss } from './live-run.ts';

export interface IdleMemory {
  connected: number;
  /** RSS per connected client above the baseline, in KB. */
  rssKb: number;
  /** Heap in use after a full collection per connected client above the baseline, in KB. */
  heapKb: number;
}

export interface IdlePeerOptions {
  clients: number;
  processes: number;
  connectPerSecond: number;
  idleSettleMs: number;
}

export async function measureIdlePeer(context: ScenarioContext, result: ScenarioResult, options: IdlePeerOptions): Promise<IdleMemory> {
  const peer = await startService({ runtime: context.runtime, env: {}, cpus: '1', inspect: true, script: 'bare-socketio.ts' });
  let fleet: ClientFleet | null = null;
  const cleanup = async () => {
    await fleet?.close();
    await peer.stop();
  };
  const removeCleanup = context.onInterrupt(cleanup);
  try {
    fleet = await ClientFleet.start(options.processes, '0');
    await sleep(3000);
    // The collection comes before the RSS sample, so it cannot lower the idle figure below.
    const baselineHeap = await liveHeapBytes(peer);
    const baselineRss = await sampleRss(peer);
    progress(result.title, `bare Socket.IO: connecting ${options.clients} clients`);
    const { connected } = await fleet.connect(peer.baseUrl, options.clients, options.connectPerSecond, 'thin-batch');
    await sleep(options.idleSettleMs);
    const idleRss = await sampleRss(peer);
    const idleHeap = await liveHeapBytes(peer);
    const perClientKb = (bytes: number) => bytes / Math.max(1, connected) / 1024;
    return { connected, rssKb: perClientKb(idleRss - baselineRss), heapKb: perClientKb(idleHeap - baselineHeap) };
  } finally {
    await cleanup();
    removeCleanup();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
