/** Sentiment labels as the page shows them, and shares computed without dividing by zero. */
import type { SentimentLabel, WindowStats } from '../../src/hub/events.ts';

export type { SentimentLabel };

export const LABELS: readonly SentimentLabel[] = ['positive', 'neutral', 'negative', 'unscored'];

/** A glyph per label, so the label never depends on colour alone. */
export const LABEL_GLYPHS: Record<SentimentLabel, string> = {
  positive: '\u25B2',
  neutral: '\u25CF',
  negative: '\u25BC',
  unscored: '\u25CB',
};

export const LABEL_DESCRIPTIONS: Record<SentimentLabel, string> = {
  positive: 'compound score at or above the positive threshold',
  neutral: 'compound score between the thresholds',
  negative: 'compound score at or below the negative threshold',
  unscored: 'not English, or no text to score',
};

export function isLabel(value: unknown): value is SentimentLabel {
  return typeof value === 'string' && (LABELS as readonly string[]).includes(value);
}

export interface LabelShares {
  /** Posts with a score (positive, neutral or negative). */
  scored: number;
  total: number;
  /** Shares of scored posts; null when no post in the window was scored. */
  positive: number | null;
  neutral: number | null;
  negative: number | null;
  /** Share of all posts that could not be scored; null when the window is empty. */
  unscored: number | null;
}

/**
 * Computes shares from label counts. Positive, neutral and negative are shares of scored posts,
 * so a window that holds only text-less or non-English posts shows "no data" instead of looking
 * 100% neutral.
 */
export function labelShares(counts: Record<SentimentLabel, number>): LabelShares {
  const scored = counts.positive + counts.neutral + counts.negative;
  const total = scored + counts.unscored;
  const ofScored = (count: number) => (scored > 0 ? count / scored : null);
  return {
    scored,
    total,
    positive: ofScored(counts.positive),
    neutral: ofScored(counts.neutral),
    negative: ofScored(counts.negative),
    unscored: total > 0 ? counts.unscored / total : null,
  };
}

/** Mean compound of a window, treating a non-finite value from the server as missing. */
export function meanCompound(window: WindowStats): number | null {
  const value = window.meanCompound;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function emptyCounts(): Record<SentimentLabel, number> {
  return { positive: 0, neutral: 0, negative: 0, unscored: 0 };
}
