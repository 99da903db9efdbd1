/**
 * How much of the matching stream the main feed shows. The server caps the posts it sends each
 * page and reports per batch how many matched. This sums both over the last few seconds.
 */
import { formatCount } from './format.ts';

const WINDOW_MS = 10_000;

export class SamplingMeter {
  private batches: Array<{ time: number; shown: number; total: number }> = [];

  record(shown: number, total: number, now = Date.now()): void {
    this.batches.push({ time: now, shown, total: Math.max(shown, total) });
  }

  /** Describes what was left out, such as "Showing 50 of 340 posts of the last 10 s", or returns ''. */
  describe(now = Date.now()): string {
    this.batches = this.batches.filter((batch) => now - batch.time <= WINDOW_MS);
    let shown = 0;
    let total = 0;
    for (const batch of this.batches) {
      shown += batch.shown;
      total += batch.total;
    }
    if (total <= shown) return '';
    return `Showing ${formatCount(shown)} of ${formatCount(total)} posts of the last ${WINDOW_MS / 1000} s`;
  }
}
