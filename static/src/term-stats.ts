/**
 * Volume and sentiment of one tracked term over the last hour. Sentiment comes from the posts
 * this page received (stored history plus live posts). Live volume comes from the server's
 * per-batch totals, which also count posts the rate cap left out. Before tracking started, the
 * stored posts are the only volume there is.
 */
import type { Post } from '../../src/hub/events.ts';
import { postTime } from './post-card.ts';
import { emptyCounts, isLabel, type SentimentLabel } from './sentiment.ts';

const WINDOW_MS = 3_600_000;
/** Posts remembered per term; the oldest are forgotten first. */
const MAX_POSTS = 5_000;
const MINUTE_MS = 60_000;
const RATE_MINUTES = 5;

interface Sample {
  time: number;
  label: SentimentLabel;
  compound: number;
}

export interface TermSummary {
  /** Posts the sentiment figures are based on. */
  posts: number;
  labels: Record<SentimentLabel, number>;
  meanCompound: number | null;
  /** Posts per minute over the last five minutes, or over the time watched when shorter. */
  perMinute: number;
  /** Posts in each of the last `minutes` minutes, oldest first. */
  minutes: number[];
}

export class TermStats {
  private readonly samples = new Map<string, Sample>();
  /** Matching posts per minute (start of minute, ms) since tracking started. */
  private readonly liveVolume = new Map<number, number>();
  /** When tracking began; history before it has no live totals. */
  private readonly startedAt: number;

  constructor(startedAt: number) {
    this.startedAt = startedAt;
  }

  /**
   * Records posts for the sentiment figures at `time` (default: when Jetstream saw each post);
   * a post seen twice (history and live) counts once.
   */
  add(posts: readonly Post[], time?: number): void {
    for (const post of posts) {
      if (this.samples.has(post.uri)) continue;
      const label = isLabel(post.sentiment.label) ? post.sentiment.label : 'unscored';
      this.samples.set(post.uri, { time: time ?? postTime(post), label, compound: post.sentiment.compound });
    }
    // Maps iterate in insertion order, so the first keys are the oldest additions.
    for (const uri of this.samples.keys()) {
      if (this.samples.size <= MAX_POSTS) break;
      this.samples.delete(uri);
    }
  }

  /** Records that `total` posts matched in a live batch sent at `time`. */
  count(time: number, total: number): void {
    if (!Number.isFinite(total) || total <= 0) return;
    const minute = Math.floor(time / MINUTE_MS) * MINUTE_MS;
    this.liveVolume.set(minute, (this.liveVolume.get(minute) ?? 0) + total);
  }

  remove(uris: readonly string[]): void {
    for (const uri of uris) this.samples.delete(uri);
  }

  summarize(now: number, minutes = 30): TermSummary {
    const labels = emptyCounts();
    const perMinute = new Array<number>(minutes).fill(0);
    const currentMinute = Math.floor(now / MINUTE_MS);
    const addVolume = (time: number, count: number) => {
      const age = currentMinute - Math.floor(time / MINUTE_MS);
      if (age >= 0 && age < minutes) perMinute[minutes - 1 - age] += count;
    };
    let compoundSum = 0;
    let scored = 0;
    let posts = 0;
    let recent = 0;
    let oldest = this.startedAt;

    for (const [uri, sample] of this.samples) {
      if (now - sample.time > WINDOW_MS) {
        this.samples.delete(uri);
        continue;
      }
      posts++;
      labels[sample.label]++;
      if (sample.label !== 'unscored' && Number.isFinite(sample.compound)) {
        compoundSum += sample.compound;
        scored++;
      }
      if (sample.time < this.startedAt) {
        oldest = Math.min(oldest, sample.time);
        addVolume(sample.time, 1);
        if (now - sample.time <= RATE_MINUTES * MINUTE_MS) recent++;
      }
    }
    for (const [minute, count] of this.liveVolume) {
      if (now - minute > WINDOW_MS) {
        this.liveVolume.delete(minute);
        continue;
      }
      addVolume(minute, count);
      if (now - minute <= RATE_MINUTES * MINUTE_MS) recent += count;
    }

    const watchedMinutes = Math.min(RATE_MINUTES, Math.max(1, (now - oldest) / MINUTE_MS));
    return {
      posts,
      labels,
      meanCompound: scored > 0 ? compoundSum / scored : null,
      perMinute: recent / watchedMinutes,
      minutes: perMinute,
    };
  }
}
