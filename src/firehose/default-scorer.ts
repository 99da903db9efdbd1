/** The production post scorer: VADER with language gating, configured from the service configuration. */
import type { Config } from '../config/schema.ts';
import { createScorer } from '../sentiment/index.ts';
import type { PostScorer } from './effects.ts';

/** The settings the scorer reads; the scoring thread receives these. */
export type ScorerSettings = Pick<Config, 'POSITIVE_THRESHOLD' | 'NEGATIVE_THRESHOLD' | 'MAX_TEXT_LENGTH'>;

export function scorerSettings(config: Config): ScorerSettings {
  return { POSITIVE_THRESHOLD: config.POSITIVE_THRESHOLD, NEGATIVE_THRESHOLD: config.NEGATIVE_THRESHOLD, MAX_TEXT_LENGTH: config.MAX_TEXT_LENGTH };
}

export function createDefaultScorer(settings: ScorerSettings): PostScorer {
  return createScorer({
    thresholds: { positive: settings.POSITIVE_THRESHOLD, negative: settings.NEGATIVE_THRESHOLD },
    // The consumer already cut the text to MAX_TEXT_LENGTH, so the scorer scores all of it.
    maxScoredLength: settings.MAX_TEXT_LENGTH,
  });
}
