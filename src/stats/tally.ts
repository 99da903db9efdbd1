/**
 * Counters of one time slot (or of a whole window): posts, labels, the compound sum of scored
 * posts and posts per language. Constant size per slot except the language map, whose keys are
 * limited to two- and three-letter subtags plus `und`.
 */
import type { LabelCounts, SentimentLabel, WindowStats } from '../hub/events.ts';

/** What one post adds to the counters. */
export interface PostContribution {
  label: SentimentLabel;
  compound: number;
  /** Primary language subtag, or `und`. */
  language: string;
}

/** Languages listed per window at most; the rest are summed under `other`. */
export const MAX_REPORTED_LANGUAGES = 100;

/** Key under which languages beyond MAX_REPORTED_LANGUAGES are summed. */
export const OTHER_LANGUAGES = 'other';

export function emptyLabelCounts(): LabelCounts {
  return { positive: 0, neutral: 0, negative: 0, unscored: 0 };
}

/** Whether a post's compound enters the mean: unscored posts and broken scores do not. */
function isScored(contribution: PostContribution): boolean {
  return contribution.label !== 'unscored' && Number.isFinite(contribution.compound);
}

export class Tally {
  posts = 0;
  labels: LabelCounts = emptyLabelCounts();
  scored = 0;
  compoundSum = 0;
  languages = new Map<string, number>();

  /** Adds (`weight` 1) or removes (`weight` -1) one post. */
  add(contribution: PostContribution, weight: 1 | -1): void {
    this.posts += weight;
    this.labels[contribution.label] += weight;
    if (isScored(contribution)) {
      this.scored += weight;
      this.compoundSum += weight * contribution.compound;
    }
    const count = (this.languages.get(contribution.language) ?? 0) + weight;
    if (count > 0) this.languages.set(contribution.language, count);
    else this.languages.delete(contribution.language);
  }

  /** Adds every counter of `other` to this tally. */
  merge(other: Tally): void {
    this.posts += other.posts;
    for (const label of Object.keys(other.labels) as SentimentLabel[]) this.labels[label] += other.labels[label];
    this.scored += other.scored;
    this.compoundSum += other.compoundSum;
    for (const [language, count] of other.languages) {
      this.languages.set(language, (this.languages.get(language) ?? 0) + count);
    }
  }

  /** The public form; the mean is null rather than NaN when no post in the window was scored. */
  toWindowStats(): WindowStats {
    return {
      posts: this.posts,
      labels: { ...this.labels },
      meanCompound: this.scored > 0 ? this.compoundSum / this.scored : null,
    };
  }

  /** Posts per language, largest first, with the tail beyond MAX_REPORTED_LANGUAGES summed. */
  languageCounts(): Record<string, number> {
    const sorted = [...this.languages].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const counts: Record<string, number> = {};
    let rest = 0;
    for (const [index, [language, count]] of sorted.entries()) {
      if (index < MAX_REPORTED_LANGUAGES) counts[language] = count;
      else rest += count;
    }
    if (rest > 0) counts[OTHER_LANGUAGES] = rest;
    return counts;
  }
}
