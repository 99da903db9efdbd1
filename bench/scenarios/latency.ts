/**
 * Live latency: the replay at 100 posts/s with 1,000 clients (50 in quick mode). End-to-end
 * latency runs from the moment the replay server writes a post's frame to the moment each
 * client receives the batch carrying it. Delivery latency runs from the batch's `sentAt` stamp
 * to its arrival, so the difference is the time the post spent inside the service.
 */
import { newResult, type Scenario } from '../lib/scenario.ts';
import { formatNumber } from '../lib/table.ts';
import { cpuNote, deliveryChecks } from './delivery-checks.ts';
import { runLive } from './live-run.ts';

export const latencyScenario: Scenario = {
  id: 'latency',
  title: '3. Live latency at 100 posts/s',
  startsService: true,
  async run(context) {
    const result = newResult(this, context.runtime);
    const clients = context.quick ? 50 : 1000;
    const durationSeconds = context.quick ? 4 : 30;
    result.notes.push(`Scale: ${formatNumber(clients)} clients, ${durationSeconds} s of broadcast per run.`);
    const e2eP50: number[] = [];
    const e2eP99: number[] = [];
    const deliveryP50: number[] = [];
    const deliveryP99: number[] = [];
    const postsPerSecond: number[] = [];

    for (let run = 1; run <= context.runs; run++) {
      const outcome = await runLive({
        context,
        result,
        clients,
        processes: 1,
        kind: 'thin',
        connectPerSecond: 500,
        postsPerSecond: 100,
        durationSeconds,
        serviceCpus: '1',
        clientCpus: '0',
        idleSettleMs: context.quick ? 500 : 3000,
        rssIntervalMs: 1000,
        profile: context.profile && run === context.runs,
      });
      result.foreignCpu.push(outcome.cpu.foreignPercent);
      e2eP50.push(outcome.report.postLatency.percentile(50));
      e2eP99.push(outcome.report.postLatency.percentile(99));
      deliveryP50.push(outcome.report.batchLatency.percentile(50));
      deliveryP99.push(outcome.report.batchLatency.percentile(99));
      postsPerSecond.push(outcome.createsSent / outcome.broadcastSeconds);
      if (run === context.runs) {
        result.checks.push(...deliveryChecks(outcome, clients, true));
        result.notes.push(
          cpuNote(outcome, 'The service ran alone on CPU 1; the replay, the harness and one load-generator process with thin protocol clients shared CPU 0.'),
          `Last run: ${formatNumber(outcome.report.postLatency.count)} post arrivals and ${formatNumber(outcome.report.batchLatency.count)} batch arrivals measured; each client receives at most CLIENT_MAX_POSTS_PER_SECOND (default 50) posts/s, so about half the posts reach clients and the rest are counted as sampled out.`,
        );
      }
    }

    result.measurements.push(
      { key: 'e2e-p50', label: 'replay → client p50', unit: 'ms', runs: e2eP50, digits: 1, target: { text: '<= 20 ms', atMost: 20 } },
      { key: 'e2e-p99', label: 'replay → client p99', unit: 'ms', runs: e2eP99, digits: 1, target: { text: '<= 100 ms', atMost: 100 } },
      { key: 'delivery-p50', label: 'sentAt → client p50', unit: 'ms', runs: deliveryP50, digits: 1 },
      { key: 'delivery-p99', label: 'sentAt → client p99', unit: 'ms', runs: deliveryP99, digits: 1 },
      { key: 'rate', label: 'posts sent per second', unit: 'posts/s', runs: postsPerSecond, digits: 1 },
    );
    return result;
  },
};
