/**
 * Soak: 10 minutes (or `--soak-minutes`) at 200 posts/s with 1,000 clients, full mode only. The
 * replay loops with shifted times so it never runs dry. Memory growth compares the service's
 * RSS over the last minute with the minute after a 2-minute warm-up.
 */
import { newResult, type Scenario } from '../lib/scenario.ts';
import { median } from '../lib/stats.ts';
import { formatBytes, formatNumber } from '../lib/table.ts';
import { cpuNote, deliveryChecks } from './delivery-checks.ts';
import { runLive } from './live-run.ts';

const WARM_UP_SECONDS = 120;
const WINDOW_SECONDS = 60;

export const soakScenario: Scenario = {
  id: 'soak',
  title: '5. Soak: 10 minutes at 200 posts/s, 1,000 clients',
  startsService: true,
  fullOnly: true,
  async run(context) {
    const result = newResult(this, context.runtime);
    const durationSeconds = context.soakMinutes * 60;
    if (context.soakMinutes !== 10) result.title = `5. Soak: ${context.soakMinutes} minutes at 200 posts/s, 1,000 clients`;
    const clients = 1000;
    const outcome = await runLive({
      context,
      result,
      clients,
      processes: 1,
      kind: 'thin',
      connectPerSecond: 500,
      postsPerSecond: 200,
      durationSeconds,
      loop: true,
      serviceCpus: '1',
      clientCpus: '0',
      idleSettleMs: 3000,
      rssIntervalMs: 5000,
      heapSamples: true,
      profile: context.profile,
    });
    result.foreignCpu.push(outcome.cpu.foreignPercent);

    const samplesIn = (from: number, to: number) => outcome.rssSamples.filter((sample) => sample.atSeconds >= from && sample.atSeconds < to);
    const window = (from: number, to: number) => samplesIn(from, to).map((sample) => sample.bytes);
    const heapWindow = (from: number, to: number, part: 'used' | 'native') => {
      const values: number[] = [];
      for (const { heap, bytes } of samplesIn(from, to)) {
        if (!heap) continue;
        // RSS less the committed JavaScript heap is native memory: SQLite, buffers, code.
        values.push(part === 'used' ? heap.usedBytes : bytes - heap.totalBytes);
      }
      return values;
    };
    const byMinute = (values: (from: number, to: number) => number[]) =>
      Array.from({ length: durationSeconds / 60 }, (_, minute) => {
        const found = values(minute * 60, minute * 60 + 60);
        return found.length > 0 ? formatNumber(median(found) / 2 ** 20, 0) : '–';
      }).join(', ');
    const afterWarmUp = median(window(WARM_UP_SECONDS, WARM_UP_SECONDS + WINDOW_SECONDS));
    const end = median(window(durationSeconds - WINDOW_SECONDS, durationSeconds + 1));
    const maxAfterWarmUp = Math.max(...window(WARM_UP_SECONDS, durationSeconds + 1));
    const growthPercent = 100 * (end / afterWarmUp - 1);

    result.measurements.push(
      { key: 'rss-growth', label: 'RSS growth after warm-up', unit: '%', runs: [growthPercent], digits: 1, target: { text: '<= 5%', atMost: 5 } },
      { key: 'rss-end', label: 'RSS over the last minute', unit: 'MB', runs: [end / 2 ** 20], digits: 1 },
      { key: 'rate', label: 'posts sent per second', unit: 'posts/s', runs: [outcome.createsSent / outcome.broadcastSeconds], digits: 1 },
      { key: 'delivery-p99', label: 'sentAt → client p99', unit: 'ms', runs: [outcome.report.batchLatency.percentile(99)], digits: 1 },
    );
    // A looped capture repeats post URIs, and the service skips a create it has seen recently.
    // The posts sent therefore cannot be matched one to one, so only equal delivery is checked.
    result.checks.push(...deliveryChecks(outcome, clients, false));
    result.notes.push(
      cpuNote(outcome, 'The service ran alone on CPU 1; the replay, the harness and one load-generator process shared CPU 0.'),
      `Service RSS: ${formatBytes(afterWarmUp)} (median of minute 3), ${formatBytes(end)} (median of the last minute), at most ${formatBytes(maxAfterWarmUp)} after warm-up; sampled every 5 s. ${formatNumber(outcome.createsSent)} posts sent in ${formatNumber(outcome.broadcastSeconds, 0)} s.`,
      `RSS by minute (MB): ${byMinute(window)}.`,
    );
    if (outcome.rssSamples.some((sample) => sample.heap)) {
      result.notes.push(
        `JavaScript heap in use by minute (MB, read through the inspector without a collection): ${byMinute((from, to) => heapWindow(from, to, 'used'))}. ` +
          `RSS outside the committed JavaScript heap by minute (MB): ${byMinute((from, to) => heapWindow(from, to, 'native'))}.`,
      );
    }
    return result;
  },
};
