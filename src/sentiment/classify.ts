/**
 * Sentiment labels from the compound score. By default a text is positive at compound >= 0.05,
 * negative at <= -0.05 and neutral between.
 */
import type { SentimentLabel } from './types.ts';

/** Compound scores at which a text counts as positive (>=) or negative (<=). */
export interface LabelThresholds {
  readonly positive: number;
  readonly negative: number;
}

export const DEFAULT_THRESHOLDS: LabelThresholds = Object.freeze({ positive: 0.05, negative: -0.05 });

/** Labels a scored text. `unscored` is decided before scoring, never from a compound score. */
export type ScoredLabel = Exclude<SentimentLabel, 'unscored'>;

/**
 * Fills in missing thresholds with the defaults and validates them. Throws a RangeError
 * unless both are finite numbers in [-1, 1] with negative < positive.
 */
export function resolveThresholds(thresholds: Partial<LabelThresholds> = {}): LabelThresholds {
  const positive = thresholds.positive ?? DEFAULT_THRESHOLDS.positive;
  const negative = thresholds.negative ?? DEFAULT_THRESHOLDS.negative;
  for (const [name, value] of [['positive', positive], ['negative', negative]] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < -1 || value > 1) {
      throw new RangeError(`Invalid ${name} threshold ${String(value)}: expected a number from -1 to 1.`);
    }
  }
  if (!(negative < positive)) {
    throw new RangeError(
      `Invalid thresholds: negative (${negative}) must be below positive (${positive}) so that the labels do not overlap.`,
    );
  }
  return Object.freeze({ positive, negative });
}

/** Returns the label of a compound score under `thresholds` (validated by resolveThresholds). */
export function classifyCompound(compound: number, thresholds: LabelThresholds = DEFAULT_THRESHOLDS): ScoredLabel {
  if (compound >= thresholds.positive) return 'positive';
  if (compound <= thresholds.negative) return 'negative';
  return 'neutral';
}
