/**
 * Fan-out: 10,000 concurrent Socket.IO clients (websocket transport) on one service process at
 * 50 posts/s (500 clients in quick mode). Reports service memory per client above the idle
 * baseline, delivery latency, and whether every client got every batch.
 */
import { newResult, type Scenario } from '../lib/scenario.ts';
import { formatBytes, formatNumber } from '../lib/table.ts';
import { cpuNote, deliveryChecks } from './delivery-checks.ts';
import { measureIdlePeer } from './idle-peer.ts';
import { runLive } from './live-run.ts';

export const fanoutScenario: Scenario = {
  id: 'fanout',
  title: '4. Fan-out to 10,000 clients at 50 posts/s',
  startsService: true,
  async run(context) {
    const result = newResult(this, context.runtime);
    const clients = context.quick ? 500 : 10_000;
    const processes = context.quick ? 1 : 4;
    const durationSeconds = context.quick ? 4 : 30;
    result.notes.push(`Scale: ${formatNumber(clients)} clients in ${processes} load-generator process${processes > 1 ? 'es' : ''}, connected at 500 per second; ${durationSeconds} s of broadcast per run.`);
    const idleKb: number[] = [];
    const liveKb: number[] = [];
    const peakKb: number[] = [];
    const deliveryP50: number[] = [];
    const deliveryP99: number[] = [];
    const e2eP99: number[] = [];
    const batchRate: number[] = [];
    const serviceCpu: number[] = [];

    for (let run = 1; run <= context.runs; run++) {
      const outcome = await runLive({
        context,
        result,
        clients,
        processes,
        kind: 'thin-batch',
        connectPerSecond: 500,
        postsPerSecond: 50,
        durationSeconds,
        serviceCpus: '1',
        clientCpus: '0',
        idleSettleMs: context.quick ? 1000 : 10_000,
        rssIntervalMs: 1000,
        profile: context.profile && run === context.runs,
        liveHeap: true,
      });
      result.foreignCpu.push(outcome.cpu.foreignPercent);
      const perClient = (bytes: number, baseline: number) => (bytes - baseline) / Math.max(1, outcome.connected) / 1024;
      idleKb.push(perClient(outcome.idleRssBytes, outcome.baselineRssBytes));
      liveKb.push(perClient(outcome.idleHeapBytes!, outcome.baselineHeapBytes!));
      peakKb.push(perClient(outcome.peakRssBytes, outcome.baselineRssBytes));
      deliveryP50.push(outcome.report.batchLatency.percentile(50));
      deliveryP99.push(outcome.report.batchLatency.percentile(99));
      e2eP99.push(outcome.report.postLatency.percentile(99));
      batchRate.push((outcome.report.digests[0]?.batches ?? 0) / outcome.broadcastSeconds);
      serviceCpu.push(outcome.cpu.processes.service ?? 0);
      if (run === context.runs) {
        result.checks.push(...deliveryChecks(outcome, clients, true));
        result.notes.push(
          cpuNote(outcome, `The service ran alone on CPU 1; the replay, the harness and ${processes} load-generator process${processes > 1 ? 'es' : ''} of thin protocol clients (reading only the stamp, counts and first and last URI of each batch) shared CPU 0.`),
          `Service RSS in the last run: ${formatBytes(outcome.baselineRssBytes)} before any client, ${formatBytes(outcome.idleRssBytes)} with ${formatNumber(outcome.connected)} idle clients, peak ${formatBytes(outcome.peakRssBytes)} while broadcasting. The baseline is taken right after a forced full garbage collection and the other two figures are not, so they include garbage V8 has not collected yet.`,
        );
      }
    }

    // The peer runs once, after the service's runs, with the same clients and settle time.
    const peer = await measureIdlePeer(context, result, { clients, processes, connectPerSecond: 500, idleSettleMs: context.quick ? 1000 : 10_000 });
    result.notes.push(
      `Peer: a bare Socket.IO server with the service's engine options (\`bench/workers/bare-socketio.ts\`) held ${formatNumber(peer.connected)} of the same idle clients, pinned the same way, once per runtime. Live heap is the JavaScript heap in use after two full garbage collections (V8 inspector \`HeapProfiler.collectGarbage\`), above the same measure before any client.`,
    );

    result.measurements.push(
      { key: 'idle-kb', label: 'memory per idle client', unit: 'KB', runs: idleKb, digits: 1, target: { text: '<= 10 KB', atMost: 10 } },
      { key: 'live-kb', label: 'live heap per idle client', unit: 'KB', runs: liveKb, digits: 1 },
      { key: 'peer-idle-kb', label: 'bare Socket.IO: memory per idle client', unit: 'KB', runs: [peer.rssKb], digits: 1 },
      { key: 'peer-live-kb', label: 'bare Socket.IO: live heap per idle client', unit: 'KB', runs: [peer.heapKb], digits: 1 },
      { key: 'peak-kb', label: 'memory per client at peak', unit: 'KB', runs: peakKb, digits: 1 },
      { key: 'delivery-p50', label: 'sentAt → client p50', unit: 'ms', runs: deliveryP50, digits: 1 },
      { key: 'delivery-p99', label: 'sentAt → client p99', unit: 'ms', runs: deliveryP99, digits: 1, target: { text: '<= 250 ms', atMost: 250 } },
      { key: 'e2e-p99', label: 'replay → client p99 (first post of each batch)', unit: 'ms', runs: e2eP99, digits: 1 },
      { key: 'batch-rate', label: 'batches per client per second', unit: '/s', runs: batchRate, digits: 1 },
      { key: 'service-cpu', label: 'service CPU while broadcasting', unit: '% of a core', runs: serviceCpu },
    );
    return result;
  },
};
