/**
 * Operations on sets of scored posts: batch scoring, label counts, average compound, the
 * most positive and most negative items and filtering by label.
 *
 * The functions that take items accept either Sentiment values or any item together with a
 * `select` function that returns the item's Sentiment.
 */
import { SENTIMENT_LABELS, type Sentiment, type SentimentLabel } from './types.ts';
import { createScorer, type Scorer, type ScorerOptions } from './scorer.ts';

/** The fields of a post record that scoring reads. */
export interface PostText {
  readonly text: string;
  readonly langs?: readonly string[] | null;
}

/** Scores each post in order, with the given scorer or one created from the given options. */
export function scoreBatch(posts: Iterable<PostText>, scorer: Scorer | ScorerOptions = {}): Sentiment[] {
  const resolved = 'score' in scorer ? scorer : createScorer(scorer);
  const results: Sentiment[] = [];
  for (const post of posts) results.push(resolved.score(post.text, post.langs));
  return results;
}

/** Counts per label, and the share of each scored label among the scored items. */
export interface LabelDistribution {
  readonly counts: Readonly<Record<SentimentLabel, number>>;
  readonly total: number;
  /** Items with a label other than `unscored`. */
  readonly scored: number;
  /** Fractions of `scored` (summing to 1), or null when nothing was scored. */
  readonly shares: Readonly<Record<Exclude<SentimentLabel, 'unscored'>, number>> | null;
}

type Selector<T> = (item: T) => Pick<Sentiment, 'label' | 'compound'>;
type Scored = Pick<Sentiment, 'label' | 'compound'>;

const selectSelf = <T>(item: T): Scored => item as Scored;

export function labelDistribution(items: Iterable<Scored>): LabelDistribution;
export function labelDistribution<T>(items: Iterable<T>, select: Selector<T>): LabelDistribution;
export function labelDistribution<T>(items: Iterable<T>, select: Selector<T> = selectSelf): LabelDistribution {
  const counts: Record<SentimentLabel, number> = { positive: 0, neutral: 0, negative: 0, unscored: 0 };
  let total = 0;
  for (const item of items) {
    const label = select(item).label;
    if (!SENTIMENT_LABELS.includes(label)) throw new TypeError(`Unknown sentiment label ${JSON.stringify(label)}.`);
    counts[label]++;
    total++;
  }
  const scored = total - counts.unscored;
  const shares =
    scored === 0
      ? null
      : { positive: counts.positive / scored, neutral: counts.neutral / scored, negative: counts.negative / scored };
  return { counts, total, scored, shares };
}

/** Mean compound of the scored items, or null when there is none (never NaN). */
export function averageCompound(items: Iterable<Scored>): number | null;
export function averageCompound<T>(items: Iterable<T>, select: Selector<T>): number | null;
export function averageCompound<T>(items: Iterable<T>, select: Selector<T> = selectSelf): number | null {
  let sum = 0;
  let scored = 0;
  for (const item of items) {
    const sentiment = select(item);
    if (sentiment.label === 'unscored') continue;
    sum += sentiment.compound;
    scored++;
  }
  return scored === 0 ? null : sum / scored;
}

function rankByCompound<T>(items: Iterable<T>, count: number, select: Selector<T>, direction: 1 | -1): T[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`Invalid count ${String(count)}: expected a non-negative integer.`);
  }
  if (count === 0) return [];
  const ranked: { item: T; compound: number; order: number }[] = [];
  let order = 0;
  for (const item of items) {
    const sentiment = select(item);
    if (sentiment.label !== 'unscored') ranked.push({ item, compound: sentiment.compound, order });
    order++;
  }
  // Equal compounds keep their input order.
  ranked.sort((a, b) => direction * (b.compound - a.compound) || a.order - b.order);
  return ranked.slice(0, count).map((entry) => entry.item);
}

/** Returns the `count` scored items with the highest compound, highest first, skipping unscored items. */
export function mostPositive<T extends Scored>(items: Iterable<T>, count: number): T[];
export function mostPositive<T>(items: Iterable<T>, count: number, select: Selector<T>): T[];
export function mostPositive<T>(items: Iterable<T>, count: number, select: Selector<T> = selectSelf): T[] {
  return rankByCompound(items, count, select, 1);
}

/** Returns the `count` scored items with the lowest compound, lowest first, skipping unscored items. */
export function mostNegative<T extends Scored>(items: Iterable<T>, count: number): T[];
export function mostNegative<T>(items: Iterable<T>, count: number, select: Selector<T>): T[];
export function mostNegative<T>(items: Iterable<T>, count: number, select: Selector<T> = selectSelf): T[] {
  return rankByCompound(items, count, select, -1);
}

/** Returns the items with label `label`, in input order. */
export function filterByLabel<T extends Scored>(items: Iterable<T>, label: SentimentLabel): T[];
export function filterByLabel<T>(items: Iterable<T>, label: SentimentLabel, select: Selector<T>): T[];
export function filterByLabel<T>(items: Iterable<T>, label: SentimentLabel, select: Selector<T> = selectSelf): T[] {
  const matches: T[] = [];
  for (const item of items) if (select(item).label === label) matches.push(item);
  return matches;
}
