/**
 * Rolling counts of committed posts over the last minute, the last hour and since start.
 *
 * Counting rules:
 * - A post counts when its create is committed, at the time it is committed (arrival at this
 *   service, not the post's own timestamps), so a catch-up after downtime shows as a burst.
 * - A create seen again (cursor rewind after a reconnect) is not counted twice, as long as the
 *   URI is among the last RECENT_POSTS_LIMIT posts.
 * - An update moves the post from its old label, compound and language to the new ones, in
 *   the slot where it was first counted; an update of a post no longer remembered changes
 *   nothing.
 * - Deletes and account removals do not lower the windows: they count what was posted. The
 *   `totals` of the snapshot come from the store and do follow deletes.
 */
import type { IngestBatch, PostRecord, WindowStats } from '../hub/events.ts';
import { primaryLanguage } from '../hub/post-language.ts';
import { RecentUris } from '../hub/recent-uris.ts';
import { SENTIMENT_LABELS } from '../sentiment/types.ts';
import { RollingWindow } from './rolling-window.ts';
import { Tally, type PostContribution } from './tally.ts';

/** Posts remembered for duplicate and edit detection: several minutes at live rates. */
export const RECENT_POSTS_LIMIT = 20_000;

/** Contribution of a remembered post, and the time it was counted. */
interface RecentPost {
  /** Time at which the post was counted, ms since the epoch. */
  countedAt: number;
  contribution: PostContribution;
}

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;
/** Span of the rate: posts per second are averaged over this many seconds. */
const RATE_SECONDS = 60;

export interface WindowSummary {
  postsPerSecond: number;
  windows: { minute: WindowStats; hour: WindowStats; sinceStart: WindowStats };
  languages: { minute: Record<string, number>; hour: Record<string, number>; sinceStart: Record<string, number> };
}

export interface RollingStatisticsOptions {
  now: () => number;
  startedAt: number;
  recentLimit?: number;
}

export class RollingStatistics {
  readonly #now: () => number;
  readonly #startedAt: number;
  // The minute window has one-second slots. The hour window has one-minute slots, so it covers
  // the current minute plus the 59 before it (between 59 and 60 minutes).
  readonly #seconds = new RollingWindow(SECOND_MS, 60);
  readonly #minutes = new RollingWindow(MINUTE_MS, 60);
  readonly #sinceStart = new Tally();
  readonly #recent: RecentUris<RecentPost>;

  constructor({ now, startedAt, recentLimit = RECENT_POSTS_LIMIT }: RollingStatisticsOptions) {
    this.#now = now;
    this.#startedAt = startedAt;
    this.#recent = new RecentUris<RecentPost>(recentLimit);
  }

  /** Counts the posts of a committed batch. */
  apply(batch: IngestBatch): void {
    const now = this.#now();
    // A batch's creates all count at `now`, so they are summed first and added to each window
    // once, because a catch-up batch contains thousands.
    let created = new Tally();
    for (const effect of batch.effects) {
      if (effect.kind !== 'upsert') continue;
      if (effect.operation === 'create') {
        this.#create(effect.post, now, created);
        continue;
      }
      // An update may move a post created earlier in this batch, so the creates land first.
      this.#countCreated(now, created);
      created = new Tally();
      this.#update(effect.post);
    }
    this.#countCreated(now, created);
  }

  summary(): WindowSummary {
    const now = this.#now();
    const minute = this.#seconds.total(now);
    const hour = this.#minutes.total(now);
    const elapsedSeconds = Math.max(1, (now - this.#startedAt) / SECOND_MS);
    const rateSpan = Math.min(RATE_SECONDS, elapsedSeconds);
    return {
      postsPerSecond: Math.round((minute.posts / rateSpan) * 100) / 100,
      windows: { minute: minute.toWindowStats(), hour: hour.toWindowStats(), sinceStart: this.#sinceStart.toWindowStats() },
      languages: { minute: minute.languageCounts(), hour: hour.languageCounts(), sinceStart: this.#sinceStart.languageCounts() },
    };
  }

  #create(post: PostRecord, now: number, created: Tally): void {
    if (this.#recent.has(post.uri)) return;
    const contribution = contributionOf(post);
    this.#recent.add(post.uri, { countedAt: now, contribution });
    created.add(contribution, 1);
  }

  #countCreated(now: number, created: Tally): void {
    if (created.posts === 0) return;
    this.#seconds.merge(now, created);
    this.#minutes.merge(now, created);
    this.#sinceStart.merge(created);
  }

  #update(post: PostRecord): void {
    const known = this.#recent.get(post.uri);
    if (!known) return;
    const contribution = contributionOf(post);
    this.#count(known.countedAt, known.contribution, -1);
    this.#count(known.countedAt, contribution, 1);
    // The post keeps the age it had when first counted.
    known.contribution = contribution;
  }

  #count(time: number, contribution: PostContribution, weight: 1 | -1): void {
    this.#seconds.add(time, contribution, weight);
    this.#minutes.add(time, contribution, weight);
    this.#sinceStart.add(contribution, weight);
  }
}

function contributionOf(post: PostRecord): PostContribution {
  // A label outside the known four would add a key to every tally, so it counts as unscored.
  const label = SENTIMENT_LABELS.includes(post.sentiment.label) ? post.sentiment.label : 'unscored';
  return { label, compound: post.sentiment.compound, language: primaryLanguage(post.langs) };
}
