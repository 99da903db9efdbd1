/**
 * Public API of the sentiment module: VADER scores with exact parity to the reference
 * vaderSentiment 3.3.2, language gating and labels for Bluesky posts, and helpers over sets
 * of scored posts. docs/SENTIMENT.md describes the behaviour in full.
 */
export type { Sentiment, SentimentLabel, SentimentScores } from './types.ts';
export { SENTIMENT_LABELS } from './types.ts';
export { polarityScores } from './analyzer.ts';
export { classifyCompound, DEFAULT_THRESHOLDS, resolveThresholds } from './classify.ts';
export type { LabelThresholds, ScoredLabel } from './classify.ts';
export { detectEnglish, hasEnglishTag, isBlankText, isEnglishTag, isScorableLanguage } from './language.ts';
export type { EnglishDetector } from './language.ts';
export { createScorer, DEFAULT_MAX_SCORED_LENGTH, scorePost, truncateForScoring } from './scorer.ts';
export type { Scorer, ScorerOptions } from './scorer.ts';
export {
  averageCompound,
  filterByLabel,
  labelDistribution,
  mostNegative,
  mostPositive,
  scoreBatch,
} from './helpers.ts';
export type { LabelDistribution, PostText } from './helpers.ts';
