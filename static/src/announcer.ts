/**
 * The only live region for changing data. Screen readers hear connection changes (at most one
 * message per few seconds, the latest wins) and, when the reader opts in, a short mood summary
 * at most once a minute. The feed itself is not a live region.
 */
import type { StatsSnapshot } from '../../src/hub/events.ts';
import { byId } from './dom.ts';
import { formatCompound, formatRate, formatShare } from './format.ts';
import { labelShares, meanCompound } from './sentiment.ts';
import { readSetting, writeSetting } from './storage.ts';

const MIN_GAP_MS = 5_000;
const SUMMARY_INTERVAL_MS = 60_000;
const SUMMARY_STORAGE_KEY = 'skypulse.announceSummaries';

export class Announcer {
  private readonly region = byId('announcer', HTMLElement);
  private readonly summaryToggle = byId('announce-summaries', HTMLInputElement);
  private lastSpokenAt = 0;
  private queued: string | null = null;
  private timer: number | undefined;
  private lastSummaryAt = 0;
  private lastSummary = '';

  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
    this.summaryToggle.checked = readSetting(SUMMARY_STORAGE_KEY) === '1';
    this.summaryToggle.addEventListener('change', () => {
      writeSetting(SUMMARY_STORAGE_KEY, this.summaryToggle.checked ? '1' : '0');
      this.lastSummaryAt = 0;
    });
  }

  /** Queues `message`; a newer message replaces one that has not been spoken yet. */
  announce(message: string): void {
    this.queued = message;
    const wait = this.lastSpokenAt + MIN_GAP_MS - this.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer ??= window.setTimeout(() => this.flush(), wait);
  }

  /** Speaks a one-line summary when summaries are on and the last one is a minute old. */
  summarize(snapshot: StatsSnapshot): void {
    if (!this.summaryToggle.checked) return;
    if (this.now() - this.lastSummaryAt < SUMMARY_INTERVAL_MS) return;
    const window = snapshot.windows.minute;
    const shares = labelShares(window.labels);
    const summary =
      shares.scored === 0
        ? `Last minute: ${formatRate(snapshot.rates.postsPerSecond)} posts per second, no scored posts.`
        : `Last minute: ${formatRate(snapshot.rates.postsPerSecond)} posts per second, ` +
          `${formatShare(shares.positive)} positive, ${formatShare(shares.negative)} negative, ` +
          `mean compound ${formatCompound(meanCompound(window))}.`;
    if (summary === this.lastSummary) return;
    this.lastSummary = summary;
    this.lastSummaryAt = this.now();
    this.announce(summary);
  }

  private flush(): void {
    window.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queued === null) return;
    // Clearing first makes screen readers announce a message equal to the previous one.
    this.region.textContent = '';
    const message = this.queued;
    this.queued = null;
    window.setTimeout(() => (this.region.textContent = message), 50);
    this.lastSpokenAt = this.now();
  }
}
